// Where uploaded images go. Deployed: a Supabase Storage bucket (REST API,
// service-role key). Locally (`npm start`, the stack tests): files under
// STORAGE_LOCAL_DIR, which the local gateway serves under the same public
// URL layout, /storage/v1/object/public/<bucket>/<path>. Either way the
// shop gets `<SUPABASE_URL>/storage/v1/object/public/<bucket>/<path>`.
import { env, requireEnv } from './env.ts';

export interface ObjectStore {
  readonly kind: 'local' | 'supabase';
  /** Stores bytes at bucket/path (overwriting) and returns the public URL. */
  put(bucket: string, path: string, bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<string>;
}

export function publicUrl(base: string, bucket: string, path: string): string {
  return `${base.replace(/\/$/, '')}/storage/v1/object/public/${bucket}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Files on this machine (local stack only). */
export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local';
  constructor(
    private readonly dir: string,
    private readonly base: string,
  ) {}

  async put(bucket: string, path: string, bytes: Uint8Array<ArrayBuffer>, _contentType: string): Promise<string> {
    if (!/^[a-z0-9-]+$/.test(bucket) || path.split('/').some((p) => p === '' || p === '.' || p === '..')) throw new Error('storage: bad path');
    const file = `${this.dir.replace(/\/$/, '')}/${bucket}/${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf('/')), { recursive: true });
    await Deno.writeFile(file, bytes);
    return publicUrl(this.base, bucket, path);
  }
}

/** Supabase Storage: POST /storage/v1/object/<bucket>/<path> with the service-role key (the bucket is public). */
export class SupabaseObjectStore implements ObjectStore {
  readonly kind = 'supabase';
  constructor(
    private readonly base: string,
    private readonly serviceKey: string,
  ) {}

  async put(bucket: string, path: string, bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<string> {
    const res = await fetch(`${this.base.replace(/\/$/, '')}/storage/v1/object/${bucket}/${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.serviceKey}`, 'Content-Type': contentType, 'x-upsert': 'true', 'cache-control': 'max-age=31536000' },
      body: bytes,
    });
    if (!res.ok) throw new Error(`storage: ${res.status} ${await res.text().catch(() => '')}`);
    return publicUrl(this.base, bucket, path);
  }
}

/** STORAGE_LOCAL_DIR set (the local stack) → files; otherwise the project's Storage. */
export function objectStore(): ObjectStore {
  const base = requireEnv('SUPABASE_URL');
  const dir = env('STORAGE_LOCAL_DIR');
  if (dir) return new LocalObjectStore(dir, env('STORAGE_PUBLIC_URL') ?? base);
  return new SupabaseObjectStore(base, requireEnv('SUPABASE_SERVICE_ROLE_KEY'));
}

/** The bucket product, banner and store images go to. */
export function imageBucket(): string {
  return env('STORAGE_IMAGE_BUCKET') ?? 'images';
}
