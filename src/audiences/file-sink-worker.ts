/**
 * Worker thread of the audience file writer: runs a FileSink (file-sink.ts) on the shared
 * memory the main thread fills. Protocol (structured-clone messages):
 *
 *   main → worker: { type: 'init', init: SinkInit }, then { type: 'job', job: SinkJob } …,
 *                  then { type: 'finish' } or { type: 'abort' }
 *   worker → main: { type: 'done', slot, closed, timings } per job;
 *                  { type: 'finished', timings } or { type: 'aborted' }; { type: 'failed', message }
 *
 * The slot's state word (Atomics, see audience-file-writer.ts) is read before a job and
 * written after it, so every byte the main thread wrote is visible here and every byte
 * written here is visible to the main thread when it reuses the slot.
 */
import { parentPort } from 'node:worker_threads';
import { FileSink, SLOT_FREE, SLOT_FULL, type FromWorker, type ToWorker } from './file-sink.js';

const port = parentPort;
if (port === null) throw new Error('file-sink-worker.ts runs only as a worker thread');

let sink: FileSink | null = null;
let state: Int32Array | null = null;

port.on('message', (message: ToWorker) => {
  try {
    switch (message.type) {
      case 'init':
        sink = new FileSink(message.init);
        state = new Int32Array(message.state);
        break;
      case 'job': {
        if (sink === null || state === null) throw new Error('job before init');
        if (Atomics.load(state, message.job.slot) !== SLOT_FULL) throw new Error('slot handed over while not full');
        const closed = sink.process(message.job);
        Atomics.store(state, message.job.slot, SLOT_FREE);
        port.postMessage({ type: 'done', slot: message.job.slot, closed } satisfies FromWorker);
        break;
      }
      case 'finish':
        port.postMessage({
          type: 'finished',
          timings: sink?.timings ?? { hash: 0, write: 0, fileSha256: 0, fsync: 0 },
        } satisfies FromWorker);
        break;
      case 'abort':
        sink?.abort();
        port.postMessage({ type: 'aborted' } satisfies FromWorker);
        break;
      default: {
        const unknown: never = message;
        throw new Error(`unknown message ${JSON.stringify(unknown)}`);
      }
    }
  } catch (error) {
    sink?.abort();
    port.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
    } satisfies FromWorker);
  }
});
