// Minimal WHATWG Headers for the WeChat runtime, which has none. The weapp
// build provides it to the functions client through webpack's ProvidePlugin
// (config/index.ts); h5 and Node use their native Headers.
type HeadersInput = Record<string, string> | [string, string][] | { forEach(cb: (value: string, key: string) => void): void } | undefined | null;

export class HeadersPolyfill {
  private readonly map = new Map<string, string>();

  constructor(init?: HeadersInput) {
    if (!init) return;
    if (Array.isArray(init)) {
      for (const [k, v] of init) this.append(k, v);
    } else if (typeof (init as { forEach?: unknown }).forEach === 'function') {
      (init as { forEach(cb: (value: string, key: string) => void): void }).forEach((v, k) => this.append(k, v));
    } else {
      for (const [k, v] of Object.entries(init as Record<string, string>)) this.append(k, v);
    }
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const prev = this.map.get(key);
    this.map.set(key, prev === undefined ? String(value) : `${prev}, ${value}`);
  }

  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), String(value));
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }

  forEach(cb: (value: string, key: string, parent: HeadersPolyfill) => void): void {
    this.map.forEach((v, k) => cb(v, k, this));
  }

  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  values(): IterableIterator<string> {
    return this.map.values();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** Plain object of any headers value (Headers, polyfill, array or record). */
export function headersToRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (Array.isArray(headers)) {
    for (const [k, v] of headers) out[String(k)] = String(v);
  } else if (typeof (headers as { forEach?: unknown }).forEach === 'function') {
    (headers as { forEach(cb: (value: string, key: string) => void): void }).forEach((v, k) => {
      out[k] = v;
    });
  } else {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) out[k] = String(v);
  }
  return out;
}
