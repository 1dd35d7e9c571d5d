// PGlite behind a Postgres wire-protocol socket, for `npm start` without a
// Postgres server. PGlite is one backend session, so every client shares it;
// this server serialises them correctly:
// - a client owns the backend from its first message until its Sync / Query
//   completes, so extended-protocol steps (Parse/Bind/Execute) of two clients
//   never interleave (pglite-socket's own multiplexer queues single messages,
//   which lets another client's Parse replace an unnamed statement mid-query);
// - while the backend is inside a transaction block the owner keeps it until
//   COMMIT/ROLLBACK; a client that disconnects mid-transaction is rolled back.
// Clients must therefore use `prepare: false`, only transaction-local
// settings (`set local`, `set_config(..., true)`), no COPY FROM STDIN, and
// never wait on a second connection while holding a transaction.
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

export interface PgliteServerOptions {
  db: PGlite;
  host?: string;
  port?: number;
  /** A client waiting longer than this for the backend gets an error (ms). */
  lockTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface PgliteServer {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** FIFO mutex over the single backend session. */
class BackendLock {
  private owner: number | null = null;
  private waiters: { id: number; resolve: () => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }[] = [];

  constructor(private readonly timeoutMs: number) {}

  holder(): number | null {
    return this.owner;
  }

  acquire(id: number): Promise<void> {
    if (this.owner === id) return Promise.resolve();
    if (this.owner === null) {
      this.owner = id;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`waited ${this.timeoutMs} ms for the shared PGlite session (client #${this.owner} holds a transaction)`));
      }, this.timeoutMs);
      this.waiters.push({ id, resolve, reject, timer });
    });
  }

  release(id: number): void {
    if (this.owner !== id) return;
    const next = this.waiters.shift();
    if (!next) {
      this.owner = null;
      return;
    }
    clearTimeout(next.timer);
    this.owner = next.id;
    next.resolve();
  }

  drop(id: number): void {
    this.waiters = this.waiters.filter((w) => {
      if (w.id !== id) return true;
      clearTimeout(w.timer);
      w.reject(new Error('client disconnected'));
      return false;
    });
    this.release(id);
  }
}

/** An ErrorResponse message (severity, SQLSTATE, text) for protocol-level failures. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from('SERROR\0VERROR\0C' + code + '\0M' + message + '\0', 'utf8'),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0, 'ascii');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

export async function startPgliteServer(options: PgliteServerOptions): Promise<PgliteServer> {
  const { db } = options;
  const log = options.log ?? (() => {});
  const lock = new BackendLock(options.lockTimeoutMs ?? 30_000);
  const sockets = new Set<Socket>();
  let nextId = 1;
  await db.waitReady;

  function handle(socket: Socket): void {
    const id = nextId++;
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let chain = Promise.resolve();
    let closed = false;

    const write = (data: Uint8Array) => {
      if (!closed && socket.writable && data.length > 0) socket.write(Buffer.from(data));
    };

    async function run(message: Uint8Array, endsGroup: boolean): Promise<void> {
      await lock.acquire(id);
      try {
        await db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: write }));
      } finally {
        if (endsGroup && !db.isInTransaction()) lock.release(id);
      }
    }

    async function process(): Promise<void> {
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const len = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (buffer.length < len) return;
          const msg = buffer.subarray(0, len);
          buffer = buffer.subarray(len);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            write(Buffer.from('N'));
            continue;
          }
          if (code === CANCEL_REQUEST) {
            socket.end();
            return;
          }
          if (code !== PROTOCOL_3) {
            write(errorResponse('08P01', 'unsupported protocol'));
            socket.end();
            return;
          }
          started = true;
          await run(new Uint8Array(msg), true);
          continue;
        }
        if (buffer.length < 5) return;
        const len = buffer.readInt32BE(1) + 1;
        if (buffer.length < len) return;
        const msg = buffer.subarray(0, len);
        buffer = buffer.subarray(len);
        const type = String.fromCharCode(msg[0]);
        if (type === 'X') {
          socket.end();
          return;
        }
        // Sync ends an extended-protocol cycle; Query is a whole cycle.
        await run(new Uint8Array(msg), type === 'S' || type === 'Q');
      }
    }

    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      chain = chain.then(process).catch((err: Error) => {
        log(`client #${id}: ${err.message}`);
        write(errorResponse('57014', err.message));
        socket.destroy();
      });
    });

    const cleanup = () => {
      if (closed) return;
      closed = true;
      sockets.delete(socket);
      void chain.finally(async () => {
        if (lock.holder() === id && db.isInTransaction()) {
          // exec takes PGlite's own query mutex; runExclusive around it would deadlock.
          // The backend lock (still ours) keeps other clients out meanwhile.
          await db.exec('rollback').catch(() => undefined);
        }
        lock.drop(id);
      });
    };
    socket.on('close', cleanup);
    socket.on('error', cleanup);
  }

  const server: Server = createServer(handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 54322, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 54322;
  return {
    host,
    port,
    url: `postgres://postgres@${host}:${port}/postgres`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
