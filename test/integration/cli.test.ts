/**
 * The `canvass` CLI, run in-process through main() with in-memory streams and this file's
 * own database (PGlite, or PostgreSQL in CI). Every test builds its own accounts and
 * campaign, so none depends on another's rows.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { hashEvent } from '../../src/domain/audit.js';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    this.emit('text');
    callback();
  }
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.close();
});

async function run(argv: string[], options: { stdin?: string; db?: Database } = {}): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, {
    stdout,
    stderr,
    db: options.db ?? t.db,
    env: {},
    // An empty, non-terminal stdin unless the test pipes something in.
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function parseJson(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n');
  expect(lines).toHaveLength(1); // one object on stdout
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

/** Runs raw SQL as the owner (superuser), outside any campaign scope and row-level security. */
async function asOwner<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = await t.owner.pool.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    client.release();
  }
}

const countCampaigns = async (): Promise<number> =>
  (await asOwner<{ n: number }>('SELECT count(*)::int AS n FROM campaigns'))[0]!.n;

const PASSWORD = 'correct horse battery staple';
const uniqueEmail = (who: string): string => `${who}-${randomUUID().slice(0, 8)}@example.org`;

async function createAccount(email = uniqueEmail('owner')): Promise<string> {
  const result = await run(['user', 'create', '--email', email, '--name', 'Jo Bloggs', '--password-stdin'], {
    stdin: `${PASSWORD}\n`,
  });
  expect(result.code, result.stderr).toBe(0);
  return email;
}

async function createCampaignFor(owner: string): Promise<string> {
  const result = await run([
    'campaign',
    'create',
    '--name',
    'Jo Bloggs for Anytown',
    '--type',
    'candidate',
    '--address',
    '1 High Street, Anytown AN1 1AA',
    '--owner',
    owner,
    '--json',
  ]);
  expect(result.code, result.stderr).toBe(0);
  return (parseJson(result.stdout)['campaign'] as { id: string }).id;
}

describe('canvass --help', () => {
  it.each([
    [[], 'Usage: canvass [options] [command]'],
    [['serve'], 'Usage: canvass serve'],
    [['migrate'], 'Usage: canvass migrate'],
    [['campaign'], 'Usage: canvass campaign'],
    [['campaign', 'create'], 'Usage: canvass campaign create'],
    [['user'], 'Usage: canvass user'],
    [['user', 'create'], 'Usage: canvass user create'],
    [['user', 'invite'], 'Usage: canvass user invite'],
    [['audit'], 'Usage: canvass audit'],
    [['audit', 'verify'], 'Usage: canvass audit verify'],
  ])('%j --help prints usage and exits 0', async (command, usage) => {
    const result = await run([...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(usage);
    expect(result.stderr).toBe('');
  });

  it('documents --json on the commands that print a result', async () => {
    for (const command of [
      ['migrate'],
      ['campaign', 'create'],
      ['user', 'create'],
      ['user', 'invite'],
      ['audit', 'verify'],
    ]) {
      expect((await run([...command, '--help'])).stdout).toContain('--json');
    }
  });

  it('treats an unknown command or option as a usage error (exit 2)', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");

    const missing = await run(['campaign', 'create', '--name', 'X', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--type <type>' not specified/);
    expect((parseJson(missing.stdout)['error'] as { code: string }).code).toBe('bad_request');
  });
});

describe('canvass user create', () => {
  it('creates an account with the password from stdin, never echoing it', async () => {
    const email = uniqueEmail('Jo');
    const result = await run(
      ['user', 'create', '--email', email, '--name', 'Jo Bloggs', '--password-stdin', '--json'],
      {
        stdin: `${PASSWORD}\nignored second line\n`,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const user = parseJson(result.stdout)['user'] as { id: string; email: string; displayName: string };
    expect(user).toMatchObject({ email: email.toLowerCase(), displayName: 'Jo Bloggs' });
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    const [row] = await asOwner<{ password_hash: string }>('SELECT password_hash FROM users WHERE user_id = $1', [
      user.id,
    ]);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('prints a human summary without --json', async () => {
    const email = uniqueEmail('sam');
    const result = await run(['user', 'create', '--email', email, '--name', 'Sam', '--password-stdin'], {
      stdin: PASSWORD,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Created account ${email}`);
  });

  it('names the field of an invalid password and writes nothing', async () => {
    const email = uniqueEmail('short');
    const result = await run(['user', 'create', '--email', email, '--name', 'Short', '--password-stdin', '--json'], {
      stdin: 'tooshort\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: invalid input');
    expect(result.stderr).toContain('password: must be at least 12 characters');
    expect(result.stderr).not.toContain('tooshort');
    const envelope = parseJson(result.stdout)['error'] as {
      code: string;
      details: { issues: Array<{ field: string }> };
    };
    expect(envelope.code).toBe('validation_failed');
    expect(new Set(envelope.details.issues.map((i) => i.field))).toEqual(new Set(['password']));
    expect(await asOwner('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
  });

  it('refuses a duplicate email, naming --email', async () => {
    const email = await createAccount();
    const result = await run(['user', 'create', '--email', email, '--name', 'Again', '--password-stdin'], {
      stdin: PASSWORD,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: --email: an account with this email already exists');
  });

  it('refuses a password given as an argument, without echoing it (exit 2)', async () => {
    const email = uniqueEmail('argv');
    for (const argv of [['--password', 'hunter2hunter2hunter2'], ['--password=hunter2hunter2hunter2']]) {
      const result = await run(['user', 'create', '--email', email, '--name', 'Argv', ...argv]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('a password is never taken as an argument');
      expect(result.stdout + result.stderr).not.toContain('hunter2');
    }
    expect(await asOwner('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
  });

  it('asks for --password-stdin when stdin is not a terminal', async () => {
    const result = await run(['user', 'create', '--email', uniqueEmail('tty'), '--name', 'No TTY']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--password-stdin');
  });

  it('reports an empty stdin', async () => {
    const result = await run([
      'user',
      'create',
      '--email',
      uniqueEmail('empty'),
      '--name',
      'Empty',
      '--password-stdin',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('stdin was empty');
  });
});

describe('canvass campaign create', () => {
  it('creates a campaign owned by an existing account (--json)', async () => {
    const owner = await createAccount();
    const result = await run([
      'campaign',
      'create',
      '--name',
      'Anytown Says Yes',
      '--type',
      'referendum_campaigner',
      '--address',
      '2 Market Square, Anytown',
      '--ico',
      'za123456',
      '--dpo-name',
      'Dee Pio',
      '--dpo-email',
      'DPO@example.org',
      '--owner',
      owner.toUpperCase(),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const body = parseJson(result.stdout) as {
      campaign: { id: string; name: string; controllerType: string; icoRegistrationNumber: string; dpo: unknown };
      owner: { email: string };
    };
    expect(body.campaign).toMatchObject({
      name: 'Anytown Says Yes',
      controllerType: 'referendum_campaigner',
      icoRegistrationNumber: 'ZA123456',
      dpo: { name: 'Dee Pio', email: 'dpo@example.org', phone: null },
    });
    expect(body.owner.email).toBe(owner);
    const members = await asOwner<{ role: string }>('SELECT role FROM memberships WHERE campaign_id = $1', [
      body.campaign.id,
    ]);
    expect(members).toEqual([{ role: 'owner' }]);
    const events = await asOwner<{ type: string; actor_type: string; actor_id: string }>(
      'SELECT type, actor_type, actor_id FROM audit_events WHERE campaign_id = $1 ORDER BY seq',
      [body.campaign.id],
    );
    expect(events.map((e) => e.type)).toEqual(['campaign.created', 'member.joined']);
    expect(events[0]).toMatchObject({ actor_type: 'system' });
    expect(events[0]!.actor_id).toMatch(/^cli:/);
  });

  it('names --type when the controller type is invalid, and writes nothing', async () => {
    const owner = await createAccount();
    const before = await countCampaigns();
    const result = await run([
      'campaign',
      'create',
      '--name',
      'Bad Type',
      '--type',
      'party',
      '--address',
      '1 Street',
      '--owner',
      owner,
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: invalid input\n {2}--type: must be one of registered_party, candidate/);
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    const envelope = parseJson(result.stdout)['error'] as {
      code: string;
      details: { issues: Array<{ field: string; option?: string }> };
    };
    expect(envelope.code).toBe('validation_failed');
    expect(envelope.details.issues).toEqual([expect.objectContaining({ field: 'controllerType', option: '--type' })]);
    expect(await countCampaigns()).toBe(before);
  });

  it('names --owner when no account has that email, and writes nothing', async () => {
    const before = await countCampaigns();
    const result = await run([
      'campaign',
      'create',
      '--name',
      'Nobody Owns This',
      '--type',
      'candidate',
      '--address',
      '1 Street',
      '--owner',
      uniqueEmail('nobody'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--owner: no account has this email');
    expect(await countCampaigns()).toBe(before);
  });

  it('names --dpo-email when only the DPO name is given', async () => {
    const owner = await createAccount();
    const result = await run([
      'campaign',
      'create',
      '--name',
      'Half a DPO',
      '--type',
      'candidate',
      '--address',
      '1 Street',
      '--dpo-name',
      'Dee',
      '--owner',
      owner,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--dpo-email: is required');
  });
});

describe('canvass user invite', () => {
  it('prints the accept link once', async () => {
    const owner = await createAccount();
    const campaignId = await createCampaignFor(owner);
    const invitee = uniqueEmail('invitee');
    const result = await run([
      'user',
      'invite',
      '--campaign',
      campaignId,
      '--email',
      invitee,
      '--role',
      'organiser',
      '--by',
      owner,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Invited ${invitee} as organiser`);
    expect(result.stdout).toMatch(
      new RegExp(`http://localhost:3000/invite#token=${campaignId}\\.[0-9a-f-]{36}\\.\\S{20,}`),
    );
    const [row] = await asOwner<{ role: string; invited_by: string }>(
      'SELECT role, invited_by FROM invitations WHERE campaign_id = $1 AND email = $2',
      [campaignId, invitee],
    );
    expect(row?.role).toBe('organiser');
  });

  it('gives the link and the invitation with --json', async () => {
    const owner = await createAccount();
    const campaignId = await createCampaignFor(owner);
    const result = await run([
      'user',
      'invite',
      '--campaign',
      campaignId,
      '--email',
      uniqueEmail('x'),
      '--role',
      'volunteer',
      '--by',
      owner,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const body = parseJson(result.stdout) as { acceptUrl: string; invitation: { role: string; status: string } };
    expect(body.acceptUrl).toMatch(/^http:\/\/localhost:3000\/invite#token=/);
    expect(body.invitation).toMatchObject({ role: 'volunteer', status: 'pending' });
  });

  it('names the option of each invalid value', async () => {
    const owner = await createAccount();
    const campaignId = await createCampaignFor(owner);

    const badCampaign = await run([
      'user',
      'invite',
      '--campaign',
      'not-a-uuid',
      '--email',
      uniqueEmail('a'),
      '--role',
      'volunteer',
      '--by',
      owner,
    ]);
    expect(badCampaign.code).toBe(1);
    expect(badCampaign.stderr).toContain('--campaign: must be a campaign id');

    const badRole = await run([
      'user',
      'invite',
      '--campaign',
      campaignId,
      '--email',
      uniqueEmail('a'),
      '--role',
      'emperor',
      '--by',
      owner,
    ]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role: must be one of owner, data_manager');

    const badInviter = await run([
      'user',
      'invite',
      '--campaign',
      campaignId,
      '--email',
      uniqueEmail('a'),
      '--role',
      'volunteer',
      '--by',
      uniqueEmail('ghost'),
    ]);
    expect(badInviter.code).toBe(1);
    expect(badInviter.stderr).toContain('--by: no account has this email');

    const outsider = await createAccount();
    const notMember = await run([
      'user',
      'invite',
      '--campaign',
      campaignId,
      '--email',
      uniqueEmail('a'),
      '--role',
      'volunteer',
      '--by',
      outsider,
      '--json',
    ]);
    expect(notMember.code).toBe(1);
    expect(notMember.stderr).toBe('error: campaign not found\n');
    expect(parseJson(notMember.stdout)).toEqual({ error: { code: 'not_found', message: 'campaign not found' } });

    expect(await asOwner('SELECT 1 FROM invitations WHERE campaign_id = $1', [campaignId])).toHaveLength(0);
  });
});

describe('canvass audit verify', () => {
  /** A campaign with four audit events: created, owner joined, two invitations. */
  async function campaignWithFourEvents(): Promise<string> {
    const owner = await createAccount();
    const campaignId = await createCampaignFor(owner);
    for (const role of ['organiser', 'volunteer']) {
      const invited = await run([
        'user',
        'invite',
        '--campaign',
        campaignId,
        '--email',
        uniqueEmail(role),
        '--role',
        role,
        '--by',
        owner,
      ]);
      expect(invited.code, invited.stderr).toBe(0);
    }
    return campaignId;
  }

  async function eventAt(campaignId: string, seq: number): Promise<{ event_id: string; hash: string }> {
    const [row] = await asOwner<{ event_id: string; hash: string }>(
      'SELECT event_id, hash FROM audit_events WHERE campaign_id = $1 AND seq = $2',
      [campaignId, seq],
    );
    return row!;
  }

  it('passes on an untouched campaign', async () => {
    const campaignId = await campaignWithFourEvents();
    const human = await run(['audit', 'verify', '--campaign', campaignId]);
    expect(human).toEqual({ code: 0, stdout: 'ok: 4 events verified\n', stderr: '' });
    const json = await run(['audit', 'verify', '--campaign', campaignId, '--json']);
    expect(json.code).toBe(0);
    expect(parseJson(json.stdout)).toEqual({ campaignId, ok: true, eventsChecked: 4, headSeq: 4, problem: null });
  });

  it('names an event whose payload was updated (altered)', async () => {
    const campaignId = await campaignWithFourEvents();
    const { event_id: eventId } = await eventAt(campaignId, 2);
    await asOwner(
      `UPDATE audit_events SET payload = payload || '{"role":"volunteer"}'::jsonb WHERE campaign_id = $1 AND seq = 2`,
      [campaignId],
    );
    const result = await run(['audit', 'verify', '--campaign', campaignId]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`broken at event 2 (altered)`);
    expect(result.stdout).toContain('  kind:     altered\n  seq:      2\n');
    expect(result.stdout).toContain(`  event id: ${eventId}\n`);
    expect(result.stdout).toContain('event 2 (member.joined) was altered');

    const json = await run(['audit', 'verify', '--campaign', campaignId, '--json']);
    expect(json.code).toBe(1);
    expect(parseJson(json.stdout)).toMatchObject({
      ok: false,
      eventsChecked: 1,
      problem: { kind: 'altered', seq: 2, eventId },
    });
  });

  it('names a deleted middle event (missing)', async () => {
    const campaignId = await campaignWithFourEvents();
    await asOwner('DELETE FROM audit_events WHERE campaign_id = $1 AND seq = 2', [campaignId]);
    const result = await run(['audit', 'verify', '--campaign', campaignId]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('broken at event 2 (missing)');
    expect(result.stdout).toContain('  kind:     missing\n  seq:      2\n');
    expect(result.stdout).toContain('event 2 is missing');
  });

  it('names a deleted newest event (missing)', async () => {
    const campaignId = await campaignWithFourEvents();
    await asOwner('DELETE FROM audit_events WHERE campaign_id = $1 AND seq = 4', [campaignId]);
    const result = await run(['audit', 'verify', '--campaign', campaignId, '--json']);
    expect(result.code).toBe(1);
    expect(parseJson(result.stdout)).toMatchObject({ ok: false, problem: { kind: 'missing', seq: 4, eventId: null } });
    const human = await run(['audit', 'verify', '--campaign', campaignId]);
    expect(human.stdout).toContain('broken at event 4 (missing)');
    expect(human.stdout).toContain('event 4 is missing');
  });

  it('names a forged event inserted after the head (inserted)', async () => {
    const campaignId = await campaignWithFourEvents();
    const head = await eventAt(campaignId, 4);
    // A careful forger: the row links to the real newest event and carries a correct hash.
    const forged = {
      campaignId,
      seq: 5,
      eventId: randomUUID(),
      occurredAt: new Date(Math.floor(Date.now())),
      actorType: 'system',
      actorId: null,
      type: 'member.removed',
      payload: { userId: randomUUID(), role: 'dpo' },
      prevHash: head.hash,
    };
    await asOwner(
      `INSERT INTO audit_events (campaign_id, seq, event_id, occurred_at, actor_type, actor_id, type, payload, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)`,
      [
        campaignId,
        forged.seq,
        forged.eventId,
        forged.occurredAt,
        forged.actorType,
        forged.actorId,
        forged.type,
        JSON.stringify(forged.payload),
        forged.prevHash,
        hashEvent(forged),
      ],
    );
    const result = await run(['audit', 'verify', '--campaign', campaignId]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('broken at event 5 (inserted)');
    expect(result.stdout).toContain(`  kind:     inserted\n  seq:      5\n  event id: ${forged.eventId}\n`);
  });

  it('shows a progress bar on a terminal for a long chain', async () => {
    const owner = await createAccount();
    const campaignId = await createCampaignFor(owner);
    // Extend the chain past one verification batch (5,000 events) with valid events.
    const [head] = await asOwner<{ audit_head_seq: number; audit_head_hash: string }>(
      'SELECT audit_head_seq, audit_head_hash FROM campaigns WHERE campaign_id = $1',
      [campaignId],
    );
    let seq = head!.audit_head_seq;
    let prevHash = head!.audit_head_hash;
    const total = 5_001;
    while (seq < total) {
      const rows: unknown[][] = [];
      for (let i = 0; i < 500 && seq < total; i += 1) {
        seq += 1;
        const event = {
          campaignId,
          seq,
          eventId: randomUUID(),
          occurredAt: new Date(1_790_000_000_000 + seq),
          actorType: 'system',
          actorId: null,
          type: 'campaign.updated',
          payload: { fields: ['name'] },
          prevHash,
        };
        prevHash = hashEvent(event);
        rows.push([
          event.seq,
          event.eventId,
          event.occurredAt,
          JSON.stringify(event.payload),
          event.prevHash,
          prevHash,
        ]);
      }
      const values = rows.map(
        (_, i) =>
          `($1, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, 'system', NULL, 'campaign.updated', $${i * 6 + 5}::jsonb, $${i * 6 + 6}, $${i * 6 + 7})`,
      );
      await asOwner(
        `INSERT INTO audit_events (campaign_id, seq, event_id, occurred_at, actor_type, actor_id, type, payload, prev_hash, hash) VALUES ${values.join(', ')}`,
        [campaignId, ...rows.flat()],
      );
    }
    await asOwner('UPDATE campaigns SET audit_head_seq = $2, audit_head_hash = $3 WHERE campaign_id = $1', [
      campaignId,
      seq,
      prevHash,
    ]);

    const piped = await run(['audit', 'verify', '--campaign', campaignId]);
    expect(piped).toEqual({ code: 0, stdout: `ok: ${total} events verified\n`, stderr: '' });

    const stdout = new Capture();
    const stderr = Object.assign(new Capture(), { isTTY: true, columns: 100 });
    const code = await main(['audit', 'verify', '--campaign', campaignId], { stdout, stderr, db: t.db, env: {} });
    expect(code).toBe(0);
    expect(stdout.text).toBe(`ok: ${total} events verified\n`);
    expect(stderr.text).toContain('verifying [');
    expect(stderr.text).toContain(`5000/${total} events`);
  }, 60_000);

  it('reports an unknown campaign', async () => {
    const result = await run(['audit', 'verify', '--campaign', randomUUID(), '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: campaign not found\n');
    expect((parseJson(result.stdout)['error'] as { code: string }).code).toBe('not_found');
  });
});

describe('canvass migrate', () => {
  it('reports that the migrated database is up to date', async () => {
    const result = await run(['migrate', '--json'], { db: t.owner });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson(result.stdout)).toMatchObject({ applied: [], jobSchema: 'installed' });
    const human = await run(['migrate'], { db: t.owner });
    expect(human.stdout).toMatch(/^The database schema is up to date \(\d+ migrations? applied earlier\)\./);
  });
});

describe('canvass serve', () => {
  it('starts on port 0 with an embedded database, answers /health, and stops on abort', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'canvass-cli-serve-'));
    const stdout = new Capture();
    const stderr = new Capture();
    const controller = new AbortController();
    try {
      const exited = main(['serve', '--host', '127.0.0.1'], {
        stdout,
        stderr,
        env: { CANVASS_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' },
        signal: controller.signal,
      });
      const running = await new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const url = /Canvass is running at (\S+)/.exec(stdout.text)?.[1];
          if (url && stdout.text.includes('setup link')) resolve(url);
        };
        stdout.on('text', check);
        exited.then((code) => reject(new Error(`serve exited early with ${code}: ${stderr.text}`)), reject);
      });
      expect(running).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running).not.toMatch(/:0$/);
      expect(stdout.text).toMatch(
        new RegExp(`Open this one-time setup link to create the first owner and campaign: ${running}/setup#token=\\S+`),
      );
      expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(true);

      const response = await fetch(`${running}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', database: 'pglite' });

      controller.abort();
      expect(await exited).toBe(0);
      expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
      await expect(fetch(`${running}/health`)).rejects.toThrow();
    } finally {
      controller.abort();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
