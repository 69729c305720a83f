/**
 * Runs before every test file: pins the time zone and blocks outbound network. Only
 * loopback addresses and local sockets may be reached; anything else throws, so a test that
 * would talk to the internet fails loudly instead of hanging or passing by luck.
 */
import net from 'node:net';

process.env.TZ = 'UTC';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3}|0\.0\.0\.0)$/i;

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  let host: string | undefined;
  let path: string | undefined;
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    const options = first as { host?: string; path?: string };
    host = options.host;
    path = options.path;
  } else if (typeof first === 'string' && Number.isNaN(Number(first))) {
    path = first;
  } else if (typeof args[1] === 'string') {
    host = args[1];
  }
  if (path === undefined && host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`outbound network is blocked in tests (attempted connection to ${host})`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
};
