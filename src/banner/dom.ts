/** The few DOM helpers the banner needs: text only (never HTML), attributes set one by one. */

export const doc = document;

type Child = Node | string | null | undefined | false;

/** An element with attributes and children; strings become text nodes, so no markup is ever parsed. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string | number | boolean | null | undefined> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {}))
    if (value != null && value !== false) el.setAttribute(name, value === true ? '' : String(value));
  for (const child of children) if (child) el.append(child);
  return el;
}

/** A button of the given class that runs `onClick`. */
export function button(cls: string, label: string, onClick: () => void): HTMLButtonElement {
  const el = h('button', { type: 'button', class: cls }, label);
  el.addEventListener('click', onClick);
  return el;
}

/** A random UUID v4 (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  const x = [...b].map((n) => (n + 256).toString(16).slice(1)).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
