/**
 * DOM building for the chat button. Text always goes in as text nodes: nothing the desk or the visitor
 * wrote is ever parsed as HTML.
 */

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** A plain button of the given class, with what it says and, if given, what a click does. */
export function button(cls: string, label: string, onClick?: () => void): HTMLButtonElement {
  const el = h('button', { type: 'button', class: cls }, label);
  if (onClick) el.addEventListener('click', onClick);
  return el;
}

/** A button that shows only an icon; its label names it for assistive technology and as a tooltip. */
export function iconButton(cls: string, label: string, d: string): HTMLButtonElement {
  return h('button', { type: 'button', class: cls, 'aria-label': label, title: label }, icon(d));
}

const SVG = 'http://www.w3.org/2000/svg';

/** A 24×24 stroked icon from path data, hidden from assistive technology (its button has a label). */
export function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

export const ICONS = {
  chat: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z',
  close: 'M18 6 6 18M6 6l12 12',
  send: 'M22 2 11 13M22 2l-7 20-4-9-9-4z',
  clip: 'M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5',
};
