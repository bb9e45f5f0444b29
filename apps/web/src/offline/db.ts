// A small promise wrapper over IndexedDB: drafts and the outbox survive reloads, crashes and
// being offline for days.
const NAME = 'hub-offline';
const VERSION = 1;
export type StoreName = 'drafts' | 'outbox';

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of ['drafts', 'outbox'] as const) {
        if (!db.objectStoreNames.contains(name)) {
          db.createObjectStore(name, { keyPath: 'key' }).createIndex('owner', 'owner');
        }
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error ?? new Error('IndexedDB unavailable'));
    };
  });
  return opening;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function tx<T>(store: StoreName, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  const t = db.transaction(store, mode);
  const result = done(work(t.objectStore(store)));
  await new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onabort = t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
  });
  return result;
}

export const idb = {
  put<T extends { key: string }>(store: StoreName, value: T): Promise<IDBValidKey> {
    return tx(store, 'readwrite', (s) => s.put(value));
  },
  get<T>(store: StoreName, key: string): Promise<T | undefined> {
    return tx(store, 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>);
  },
  delete(store: StoreName, key: string): Promise<undefined> {
    return tx(store, 'readwrite', (s) => s.delete(key));
  },
  byOwner<T>(store: StoreName, owner: string): Promise<T[]> {
    return tx(store, 'readonly', (s) => s.index('owner').getAll(owner) as IDBRequest<T[]>);
  },
};

/** A random UUID, also where crypto.randomUUID is missing (plain http on a LAN address). */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** SHA-256 of a file, on the device, before it is queued or sent. */
export async function sha256Hex(data: Blob): Promise<string> {
  if (!crypto.subtle) {
    throw new Error('This page needs a secure (https) connection to fingerprint photos');
  }
  const digest = await crypto.subtle.digest('SHA-256', await data.arrayBuffer());
  return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('');
}
