/**
 * Consent receipts: queued in localStorage before they are sent, removed only once the server
 * acknowledges them, retried with exponential backoff, and flushed again on the next page —
 * so a choice is never lost to a flaky network or a page that closes straight away.
 */
import type { ReceiptSubmission } from '../shared/consent-banner.js';

let url = '';
let key = '';
let memory: ReceiptSubmission[] = [];
const inFlight = new Set<string>();
let attempt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function load(): ReceiptSubmission[] {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '[]') as ReceiptSubmission[];
  } catch {
    return memory;
  }
}

function store(queue: ReceiptSubmission[]): void {
  memory = queue;
  try {
    if (queue.length) localStorage.setItem(key, JSON.stringify(queue));
    else localStorage.removeItem(key);
  } catch {
    // Storage disabled or full: the in-memory queue still retries while the page is open.
  }
}

const drop = (receiptId: string): void => store(load().filter((r) => r.receiptId !== receiptId));

function retry(): void {
  clearTimeout(timer);
  timer = setTimeout(flush, Math.min(60_000, 1000 * 2 ** attempt++));
}

/** Sends every queued receipt not already on its way. */
export function flush(): void {
  for (const receipt of load()) {
    if (inFlight.has(receipt.receiptId)) continue;
    inFlight.add(receipt.receiptId);
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(receipt),
      keepalive: true,
      credentials: 'omit',
    })
      .then((res) => {
        // 2xx: stored. Another 4xx (not 408/429) will never succeed: the receipt is malformed, so retrying is pointless.
        if (res.ok || (res.status < 500 && res.status !== 408 && res.status !== 429)) {
          if (res.ok) attempt = 0;
          drop(receipt.receiptId);
        } else retry();
      }, retry)
      .finally(() => inFlight.delete(receipt.receiptId));
  }
}

/** Points the queue at a site's receipts endpoint and sends whatever a previous page left behind. */
export function startReceipts(endpoint: string, storageKey: string): void {
  url = endpoint;
  key = storageKey;
  flush();
}

export function send(receipt: ReceiptSubmission): void {
  store([...load(), receipt]);
  flush();
}
