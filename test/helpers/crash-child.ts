/**
 * The crash-child harness shared by the crash tests: starts a child process running `script`
 * (through tsx, from the repository root) and resolves once it prints `HANG <n>`, i.e. it has
 * committed its work so far and hangs, ready to be killed with SIGKILL. `kill` is also pushed
 * onto `cleanups`, so a test that fails early does not leave the child behind.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface HungChild {
  /** How far the child got, from its `HANG <n>` line. */
  done: number;
  /** Kills the child (SIGKILL) if it still runs, and waits for it to exit. */
  kill: () => Promise<void>;
}

export function runChildUntilHang(options: {
  script: string;
  env: Record<string, string>;
  timeoutMs: number;
  cleanups: Array<() => Promise<void> | void>;
}): Promise<HungChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.script], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  options.cleanups.push(kill);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the child never hung; stdout: ${stdout}; stderr: ${stderr}`)),
      options.timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /HANG (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ done: Number(match[1]), kill });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the child exited early (${code ?? signal}); stdout: ${stdout}; stderr: ${stderr}`));
    });
  });
}
