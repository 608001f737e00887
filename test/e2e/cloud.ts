/**
 * One emulated account for an e2e scenario: the `image-factory emulator` process (time-scaled,
 * so a build takes minutes), the user's environment pointed at it (through its proxy mode, or as
 * IMAGE_FACTORY_ENDPOINT), the project's real signed
 * client to look at what was made, and the CLI runs of the pipeline commands with their JSON
 * progress parsed.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { join } from 'node:path';
import { HuaweiApi } from '../../scripts/cloud/huawei-api.js';
import { TAG } from '../../stacks/definition/tags.js';
import { terraformEnv } from './provider.js';
import { exportsOf, freePort, readmeEmulatorSequence } from './readme.js';
import { ACCESS_KEY, SECRET_KEY, cleanEnv, startCli, startEmulatorProcess, workspace, type CliRun, type EmulatorProcess } from './support.js';
import { validateCliLines } from '../support/cli-events.js';

/**
 * Emulated seconds per real second. The default durations (a 5-minute capture, 10-minute copies)
 * then take seconds; what remains is the provider's own polling, in real time.
 */
const TIME_SCALE = 60;

export interface E2eCloud {
  readonly emu: EmulatorProcess;
  readonly api: HuaweiApi;
  /** A user's environment: the key pair, the way to the emulator and the tier's terraform settings. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * Resources in /_emulator/state that carry the expiry tag (the builder, the tester and their
   * networks): what a finished command must never leave behind. As "<region> <collection> <id>".
   */
  temporaries(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * `proxy` (the pipeline scenarios): the emulator's default, and the user exports what it prints
 * (IMAGE_FACTORY_PROXY, IMAGE_FACTORY_PROXY_CA), so the provider keeps its default per-region
 * endpoints and cross-region copies can finish. `endpoint`: `--no-proxy` and
 * IMAGE_FACTORY_ENDPOINT, the provider given custom endpoints (one region only). `readme`: the
 * README's emulator block as written (its key pair, its relative --state, its export line with
 * the relative CA path), started in `dir`.
 */
export async function startCloud(dir: string, mode: 'proxy' | 'endpoint' | 'readme' = 'proxy'): Promise<E2eCloud> {
  if (mode === 'readme') {
    const seq = readmeEmulatorSequence(await freePort());
    const keys = exportsOf(seq.credentials);
    const emu = await startEmulatorProcess(seq.emulatorArgs.slice(1), cleanEnv(keys), dir);
    return cloudOf(emu, { ...keys, ...exportsOf(seq.route) }, { accessKey: keys.HW_ACCESS_KEY!, secretKey: keys.HW_SECRET_KEY! });
  }
  const emu = await startEmulatorProcess(['--time-scale', String(TIME_SCALE), '--state', join(dir, 'emulator-state.json'), ...(mode === 'endpoint' ? ['--no-proxy'] : [])]);
  let way: NodeJS.ProcessEnv = { IMAGE_FACTORY_ENDPOINT: emu.url };
  if (mode === 'proxy') {
    const [, proxy, ca] = await emu.run.waitFor(/export IMAGE_FACTORY_PROXY=(\S+) IMAGE_FACTORY_PROXY_CA=(\S+)/);
    way = { IMAGE_FACTORY_PROXY: proxy, IMAGE_FACTORY_PROXY_CA: ca };
  }
  return cloudOf(emu, { HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY, ...way }, { accessKey: ACCESS_KEY, secretKey: SECRET_KEY });
}

function cloudOf(emu: EmulatorProcess, user: NodeJS.ProcessEnv, keys: { accessKey: string; secretKey: string }): E2eCloud {
  // The test's own look at the account goes straight to the emulator's URL.
  const api = new HuaweiApi(keys, { endpoint: { baseUrl: emu.url, insecure: false } });
  return {
    emu, api,
    env: (extra = {}) => cleanEnv({ ...terraformEnv(), ...user, ...extra }),
    temporaries: async () => {
      const state = await emu.admin<{ resources: Record<string, Record<string, Record<string, { name?: string }>>> }>('GET', 'state');
      const found: string[] = [];
      for (const [region, collections] of Object.entries(state.resources)) {
        for (const [collection, records] of Object.entries(collections)) {
          for (const [id, record] of Object.entries(records)) {
            if (JSON.stringify(record).includes(TAG.expiresAt)) found.push(`${region} ${collection} ${id}${record.name ? ` (${record.name})` : ''}`);
          }
        }
      }
      return found;
    },
    close: async () => void (await emu.stop()),
  };
}

export interface ProgressLine {
  type?: string;
  stage?: string;
  status: string;
  region?: string;
  step?: string;
  message?: string;
  imageIds?: Record<string, string>;
}

export interface PipelineRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly events: ProgressLine[];
  /** The last line of `--json`: {type: 'result', status, imageIds, ...}. */
  readonly result?: ProgressLine;
}

export function parseProgress(stdout: string): ProgressLine[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ProgressLine);
}

/** Everything a run printed, for an assertion's message. */
export const transcript = (r: { stdout: string; stderr: string }) => `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

/** `image-factory <command> nginx --json` in the workspace, polling every second. */
export function startPipeline(cloud: E2eCloud, cwd: string, command: 'build' | 'resume' | 'distribute', detached = false): CliRun {
  return startCli([command, 'nginx', '--json', '--poll-seconds', '1'], { cwd, env: cloud.env(), detached });
}

export async function pipeline(cloud: E2eCloud, cwd: string, command: 'build' | 'resume' | 'distribute'): Promise<PipelineRun> {
  const r = await startPipeline(cloud, cwd, command).exited;
  // The --json contract on a real-provider run: every line validates, the result last, with the exit code.
  expect(validateCliLines(r.stdout).result.exitCode, transcript(r)).toBe(r.code);
  const events = parseProgress(r.stdout);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, events, result: events.find((e) => e.type === 'result') };
}


export interface BuildRecordJson {
  complete: boolean;
  buildRegion: string;
  imageName: string;
  imageIds: Record<string, string>;
  regions: Record<string, { status: string; imageId?: string; error?: string; attempts?: number }>;
  installSteps: { name: string; status?: string }[];
  testSteps: { name: string; status?: string }[];
  timings: Record<string, { status: string }>;
}

export function readRecord(cwd: string, version = '1.0.0'): BuildRecordJson {
  return JSON.parse(readFileSync(join(cwd, 'dist', 'nginx', version, 'build.json'), 'utf8')) as BuildRecordJson;
}

/** The image as IMS lists it in its region (undefined when it does not exist). */
export async function imageIn(cloud: E2eCloud, region: string, id: string): Promise<{ id: string; name: string; status: string } | undefined> {
  const res = await cloud.api.request<{ images?: { id: string; name: string; status: string }[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query: { id } });
  return res.images?.[0];
}

/** ECSs in a region, as ECS lists them. */
export async function serversIn(cloud: E2eCloud, region: string): Promise<{ id: string; name: string; status: string; image: { id: string } }[]> {
  const res = await cloud.api.request<{ servers?: { id: string; name: string; status: string; image: { id: string } }[] }>('ecs', region, { method: 'GET', path: '/v1/{project_id}/cloudservers/detail' });
  return res.servers ?? [];
}

/**
 * The scenario of the describe block it is called in: its own workspace (a temporary copy of
 * images/) and its own emulator, started before the block's tests and stopped after them.
 */
export function scenario(mode: 'proxy' | 'endpoint' | 'readme' = 'proxy'): { readonly ws: string; readonly cloud: E2eCloud } {
  const s = {} as { ws: string; cloud: E2eCloud };
  beforeAll(async () => {
    s.ws = workspace();
    s.cloud = await startCloud(s.ws, mode);
  });
  afterAll(() => s.cloud?.close());
  return s;
}
