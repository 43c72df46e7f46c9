/** A choice among a few options shown as cards, each with a title and a line of text. */
export interface RadioCard<T extends string> {
  type: T;
  title: string;
  text: string;
}

export function RadioCards<T extends string>(props: {
  name: string;
  label: string;
  options: RadioCard<T>[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <div class="radio-cards" role="radiogroup" aria-label={props.label}>
      {props.options.map((o) => (
        <label key={o.type} class={`radio-card ${props.value === o.type ? 'on' : ''}`}>
          <input type="radio" name={props.name} value={o.type} checked={props.value === o.type} onChange={() => props.onChange(o.type)} />
          <span>
            <strong>{o.title}</strong>
            <span class="muted small">{o.text}</span>
          </span>
        </label>
      ))}
    </div>
  );
}
