/**
 * Markup that escapes by default: every value interpolated into `markup` is escaped unless it is itself
 * `Markup` (built by `markup`, or `raw` for trusted constant text). Report text comes from config, verify
 * and kube-bench files, so nothing reaches the page unescaped by accident.
 */
export class Markup {
  constructor(public readonly value: string) {}

  public toString(): string {
    return this.value;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Trusted constant markup (never pass input through this). */
export function raw(text: string): Markup {
  return new Markup(text);
}

type Interpolation = Markup | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return esc(String(value));
}

/** Tagged template: escapes every interpolation that is not Markup; arrays are concatenated. */
export function markup(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Markup(out);
}
