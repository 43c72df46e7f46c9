/** A lock-screen preview of the push on iOS or Android: app name, title, body, image and buttons. */
import { useState } from 'preact/hooks';
import type { MessageInput } from '../api/types';

type Platform = 'ios' | 'android';

function Clock({ platform }: { platform: Platform }) {
  const now = new Date();
  const time = now.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', hour12: false });
  const date = now.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
  return (
    <div class={`lock-clock ${platform}`}>
      {platform === 'ios' ? (
        <>
          <div class="lock-date">{date}</div>
          <div class="lock-time">{time}</div>
        </>
      ) : (
        <>
          <div class="lock-time">{time}</div>
          <div class="lock-date">{date}</div>
        </>
      )}
    </div>
  );
}

function AppIcon({ name }: { name: string }) {
  return (
    <span class="app-icon" aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}

/** Title over body: the same on both platforms, only where it sits differs. */
function NotifText({ title, body }: { title: string; body: string }) {
  return (
    <>
      <div class="notif-title" data-testid="preview-title">
        {title}
      </div>
      <div class="notif-body" data-testid="preview-body">
        {body}
      </div>
    </>
  );
}

export function PhonePreview({ message, appName }: { message: MessageInput; appName: string }) {
  const [platform, setPlatform] = useState<Platform>('ios');
  const [imgFailed, setImgFailed] = useState<string | null>(null);
  const title = message.title.trim() || 'Your title';
  const body = message.body.trim() || 'Your message appears here.';
  const image = message.imageUrl && /^https:\/\/.+/.test(message.imageUrl) && imgFailed !== message.imageUrl ? message.imageUrl : null;
  const buttons = (message.buttons ?? []).filter((b) => b.label.trim());
  return (
    <section class="preview" aria-labelledby="preview-title">
      <div class="preview-head">
        <h2 id="preview-title">Preview</h2>
        <div class="seg-toggle" role="radiogroup" aria-label="Preview platform">
          {(['ios', 'android'] as Platform[]).map((p) => (
            <label key={p} class={platform === p ? 'on' : ''}>
              <input type="radio" name="preview-platform" value={p} checked={platform === p} onChange={() => setPlatform(p)} />
              {p === 'ios' ? 'iOS' : 'Android'}
            </label>
          ))}
        </div>
      </div>
      <div class={`phone ${platform}`} data-testid="phone-preview" data-platform={platform}>
        <div class="phone-screen">
          <div class="status-bar" aria-hidden="true">
            <span>{platform === 'ios' ? '' : '●'}</span>
            <span class="notch" />
            <span>▮▮▮ ◔</span>
          </div>
          <Clock platform={platform} />
          <div
            class={`notif ${platform}`}
            role="img"
            aria-label={`${platform === 'ios' ? 'iOS' : 'Android'} notification preview: ${title}. ${body}`}
          >
            {platform === 'ios' ? (
              <>
                <div class="notif-row">
                  <AppIcon name={appName} />
                  <div class="notif-text">
                    <div class="notif-top">
                      <span class="notif-appname">{appName}</span>
                      <span class="notif-time">now</span>
                    </div>
                    <NotifText title={title} body={body} />
                  </div>
                  {image && <img class="notif-thumb" src={image} alt="" onError={() => setImgFailed(message.imageUrl ?? null)} />}
                </div>
              </>
            ) : (
              <>
                <div class="notif-app">
                  <AppIcon name={appName} />
                  <span>{appName}</span>
                  <span class="notif-time">· now</span>
                </div>
                <NotifText title={title} body={body} />
                {image && <img class="notif-image" src={image} alt="" onError={() => setImgFailed(message.imageUrl ?? null)} />}
              </>
            )}
            {buttons.length > 0 && (
              <div class="notif-actions">
                {buttons.map((b, i) => (
                  <span key={i} class="notif-action">
                    {b.label}
                  </span>
                ))}
              </div>
            )}
          </div>
        </div>
      </div>
      <p class="muted small center">
        {platform === 'ios'
          ? 'iOS shows buttons and the large image when the notification is long-pressed.'
          : 'Android shows the image when the notification is expanded.'}
      </p>
    </section>
  );
}
