/**
 * `canvass user create` at a terminal: the password is typed twice at a prompt that echoes
 * nothing. A fake terminal stands in for stdin.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    this.emit('text');
    callback();
  }
}

class FakeTerminal extends PassThrough {
  readonly isTTY = true;
  rawMode = false;
  readonly modes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawMode = mode;
    this.modes.push(mode);
    return this;
  }
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

/** Types each answer (keystroke by keystroke) once its prompt has appeared on stderr. */
async function createAtTerminal(email: string, answers: string[]) {
  const stdin = new FakeTerminal();
  const stdout = new Capture();
  const stderr = new Capture();
  let prompts = 0;
  stderr.on('text', () => {
    const seen = (stderr.text.match(/password.*: $/gim) ?? []).length;
    while (prompts < seen && prompts < answers.length) {
      for (const key of answers[prompts]!) stdin.write(key);
      prompts += 1;
    }
  });
  const code = await main(['user', 'create', '--email', email, '--name', 'Terminal User', '--json'], {
    stdin,
    stdout,
    stderr,
    db: t.db,
    env: {},
  });
  return { code, stdout: stdout.text, stderr: stderr.text, stdin };
}

describe('canvass user create at a terminal', () => {
  it('prompts twice without echo, honours backspace, and restores the terminal', async () => {
    const email = `tty-${randomUUID().slice(0, 8)}@example.org`;
    const typed = 'correct horse battery stapleX\u007f\r';
    const result = await createAtTerminal(email, [typed, typed]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('Password (at least 12 characters, not shown): \nRepeat the password: \n');
    expect(result.stdout).not.toContain('correct horse');
    expect(JSON.parse(result.stdout)).toMatchObject({ user: { email } });
    expect(result.stdin.modes).toEqual([true, false, true, false]);
    // The backspace removed the X: the stored password is the one without it.
    const client = await t.owner.pool.connect();
    try {
      const { rows } = await client.query<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE email = $1',
        [email],
      );
      const { verifyPassword } = await import('../../src/app/passwords.js');
      expect(await verifyPassword(rows[0]!.password_hash, 'correct horse battery staple')).toBe(true);
    } finally {
      client.release();
    }
  });

  it('creates nothing when the two entries differ', async () => {
    const email = `tty-${randomUUID().slice(0, 8)}@example.org`;
    const result = await createAtTerminal(email, ['correct horse battery staple\r', 'correct horse battery stable\r']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: the two passwords differ');
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('stops on Ctrl-C', async () => {
    const result = await createAtTerminal(`tty-${randomUUID().slice(0, 8)}@example.org`, ['abc\u0003']);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('error: cancelled');
    expect(result.stdin.rawMode).toBe(false);
  });
});
