/**
 * Starts the emulator in-process for a test, with one key pair, and gives the real clients
 * (HuaweiApi, signed with that pair) pointed at it, plus the admin API.
 */
import { HuaweiApi, type HuaweiApiOptions } from '../../scripts/cloud/huawei-api.js';
import type { Credentials } from '../../scripts/cloud/credentials.js';
import { createEmulator, type Emulator } from '../../scripts/emulator/server.js';
import type { Clock } from '../../scripts/pipeline/clock.js';
import type { FaultSpec } from '../../scripts/emulator/faults.js';
import type { ConfigPatch } from '../../scripts/emulator/admin.js';
import { emulatorAdmin } from '../support/emulator-admin.js';

export const AK = 'EMULATORTESTKEY00001';
export const SK = 'emulator-test-secret-never-logged';
/** A second key pair of the same account (another machine, another process). */
export const AK2 = 'EMULATORTESTKEY00002';
export const SK2 = 'emulator-test-second-secret';

export interface TestEmulator {
  readonly emulator: Emulator;
  readonly url: string;
  /** What the product reads to find the emulator. */
  readonly env: NodeJS.ProcessEnv;
  readonly credentials: Credentials;
  /** The real signed client; `options.sleep` lets its retries wait on a test's clock. */
  api(credentials?: Partial<Credentials>, options?: Omit<HuaweiApiOptions, 'endpoint'>): HuaweiApi;
  admin<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  fault(spec: FaultSpec): Promise<void>;
  config(patch: ConfigPatch): Promise<void>;
  state(): Promise<any>;
  close(): Promise<void>;
}

export async function startEmulator(opts: { clock?: Clock; stateFile?: string; log?: (l: string) => void; obsConditionalWrites?: boolean; latencyMs?: number } = {}): Promise<TestEmulator> {
  const emulator = await createEmulator({ credentials: { [AK]: SK, [AK2]: SK2 }, clock: opts.clock, stateFile: opts.stateFile, log: opts.log, obsConditionalWrites: opts.obsConditionalWrites, latencyMs: opts.latencyMs });
  const env = { IMAGE_FACTORY_ENDPOINT: emulator.url };
  const credentials: Credentials = { accessKey: AK, secretKey: SK };
  const admin = emulatorAdmin(emulator.url, emulator.adminToken);
  return {
    emulator, url: emulator.url, env, credentials,
    api: (c = {}, o = {}) => new HuaweiApi({ ...credentials, ...c }, { ...o, endpoint: { baseUrl: emulator.url, insecure: false } }),
    admin,
    fault: async (spec) => void (await admin('POST', 'faults', spec)),
    config: async (patch) => void (await admin('PATCH', 'config', patch)),
    state: () => admin('GET', 'state'),
    close: () => emulator.close(),
  };
}
