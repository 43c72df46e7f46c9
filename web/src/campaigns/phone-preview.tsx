/** A lock-screen preview of the push on iOS or Android: app name, title, body, image and buttons. */
import { useState } from 'preact/hooks';
import type { MessageInput } from '../api/types';
import { VariantPicker } from './variant-fields';

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

/** `variants`: an A/B test's variants, to switch the preview between them (the composer's tabs follow). */
export function PhonePreview({
  message,
  appName,
  variants,
}: {
  message: MessageInput;
  appName: string;
  variants?: { ids: readonly string[]; selected: number; onSelect: (i: number) => void };
}) {
  const [platform, setPlatform] = useState<Platform>('ios');
  // iOS: buttons and the large image only after a long press; Android: when the notification is expanded.
  const [expanded, setExpanded] = useState(false);
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
      {variants && (
        <VariantPicker
          ids={variants.ids}
          selected={variants.selected}
          onSelect={variants.onSelect}
          label="Variant to preview"
          testId="preview-variants"
        />
      )}
      <div
        class={`phone ${platform}`}
        data-testid="phone-preview"
        data-platform={platform}
        data-variant={variants ? variants.ids[variants.selected] : undefined}
      >
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
            data-expanded={expanded}
            aria-label={`${platform === 'ios' ? 'iOS' : 'Android'} notification preview${expanded ? ', expanded' : ''}: ${title}. ${body}${
              expanded && buttons.length > 0 ? `. Buttons: ${buttons.map((b) => b.label).join(', ')}` : ''
            }`}
          >
            {platform === 'ios' ? (
              <>
                {expanded && image && (
                  <img class="notif-image ios" src={image} alt="" onError={() => setImgFailed(message.imageUrl ?? null)} />
                )}
                <div class="notif-row">
                  <AppIcon name={appName} />
                  <div class="notif-text">
                    <div class="notif-top">
                      <span class="notif-appname">{appName}</span>
                      <span class="notif-time">now</span>
                    </div>
                    <NotifText title={title} body={body} />
                  </div>
                  {!expanded && image && (
                    <img class="notif-thumb" src={image} alt="" onError={() => setImgFailed(message.imageUrl ?? null)} />
                  )}
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
                {image &&
                  (expanded ? (
                    <img class="notif-image" src={image} alt="" onError={() => setImgFailed(message.imageUrl ?? null)} />
                  ) : (
                    <img class="notif-thumb android" src={image} alt="" onError={() => setImgFailed(message.imageUrl ?? null)} />
                  ))}
              </>
            )}
            {expanded && buttons.length > 0 && (
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
      <label class="small center preview-expand">
        <input type="checkbox" checked={expanded} onChange={() => setExpanded((x) => !x)} />{' '}
        {platform === 'ios' ? 'Show as long-pressed' : 'Show expanded'}
      </label>
      <p class="muted small center" data-testid="preview-caption">
        {platform === 'ios'
          ? expanded
            ? 'Long-pressed: the large image and the buttons.'
            : 'On the lock screen. A long press shows the large image and the buttons.'
          : expanded
            ? 'Expanded: the large image and the buttons.'
            : 'Collapsed. Expanding it shows the large image and the buttons.'}
      </p>
    </section>
  );
}
