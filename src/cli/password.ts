/**
 * Reading a new password without it ever reaching the command line (shell history, process
 * lists) or the screen: the first line of stdin (--password-stdin), or a prompt that does
 * not echo when stdin is a terminal. The password is never written anywhere.
 */
import { StringDecoder } from 'node:string_decoder';
import type { CliIo } from './io.js';
import { CliError, usageError } from './io.js';

type Input = NonNullable<CliIo['stdin']>;

/** The first line of the stream (without its line ending), or null if it ends empty. */
export function readFirstLine(input: Input): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let buffer = '';
    const finish = (value: string | null): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      resolve(value === null ? null : value.replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string): void => {
      buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const newline = buffer.indexOf('\n');
      if (newline >= 0) finish(buffer.slice(0, newline));
    };
    const onEnd = (): void => {
      buffer += decoder.end();
      finish(buffer.length > 0 ? buffer : null);
    };
    const onError = (error: Error): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      reject(error);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Prompts on stderr and reads one line from a terminal in raw mode, echoing nothing. */
export function promptHidden(input: Input, prompt: string, stderr: CliIo['stderr']): Promise<string> {
  const setRawMode = input.setRawMode?.bind(input);
  if (!setRawMode) return Promise.reject(new Error('stdin is not a terminal'));
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let value = '';
    stderr.write(prompt);
    setRawMode(true);
    const done = (error: Error | null): void => {
      input.off('data', onData);
      setRawMode(false);
      input.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (text.startsWith('\u001b')) return; // arrow keys and other escape sequences
      for (const char of text) {
        if (char === '\r' || char === '\n') return done(null);
        if (char === CTRL_C) return done(new CliError('bad_request', 'cancelled', 130));
        if (char === CTRL_D) {
          if (value.length === 0) return done(new CliError('bad_request', 'cancelled', 130));
          return done(null);
        }
        if (BACKSPACE.has(char)) value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/**
 * The new account's password: from stdin with --password-stdin, otherwise typed twice at a
 * hidden prompt. Validation (length, not the email) is the use case's.
 */
export async function readNewPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  const stdin = io.stdin ?? process.stdin;
  if (fromStdin) {
    const line = await readFirstLine(stdin);
    if (line === null)
      throw usageError(
        '--password-stdin was given but stdin was empty: pipe the password in, e.g. `printf %s "$PW" | canvass user create … --password-stdin`',
      );
    return line;
  }
  if (!stdin.isTTY || !stdin.setRawMode) {
    throw usageError(
      'no password: pass --password-stdin and pipe it on stdin, or run the command in a terminal to be prompted',
    );
  }
  const first = await promptHidden(stdin, 'Password (at least 12 characters, not shown): ', io.stderr);
  const second = await promptHidden(stdin, 'Repeat the password: ', io.stderr);
  if (first !== second)
    throw new CliError('validation_failed', 'the two passwords differ: nothing was created; run the command again');
  return first;
}
