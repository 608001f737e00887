/**
 * The ECS calls the pipeline makes while following a guest: status, stop and serial console.
 *
 * Console output is ECS ShowServerConsoleOutput:
 *   GET /v1/{project_id}/cloudservers/{server_id}/console-output?length=N  ->  { "output": "..." }
 * Checked against Huawei's generated SDK (huaweicloud/huaweicloud-sdk-cpp-v3, commit ef7ad588:
 * ecs/src/v2/EcsClient.cpp `showServerConsoleOutput` is a GET on that path, and EcsMeta.cpp
 * `genRequestDefForShowServerConsoleOutput` declares `length` a query parameter; the API
 * Explorer names the operation ShowServerConsoleOutput). The `POST .../action` form with a
 * `{"os-getConsoleOutput": {"length": N}}` body is the OpenStack Nova-compatible API
 * (`/v2.1/{project_id}/servers/{server_id}/action`, "Obtaining ECS Management Console Logs"),
 * marked for removal after microversion 2.5; the native GET
 * form (ShowServerConsoleOutput) is the one used here.
 */
import { CONSOLE_LINES, type EcsClient, type ServerStatus } from './types.js';
import type { HuaweiApi } from './huawei-api.js';

export class HuaweiEcsClient implements EcsClient {
  constructor(private readonly api: HuaweiApi) {}

  async getServer(serverId: string, region: string): Promise<{ status: ServerStatus; taskState?: string; fault?: string }> {
    const res = await this.api.request<{ server?: { status?: string; 'OS-EXT-STS:task_state'?: string; fault?: { message?: string } } }>('ecs', region, {
      method: 'GET', path: '/v1/{project_id}/cloudservers/{server_id}', params: { server_id: serverId }, expects: 'server',
    });
    return { status: res.server?.status ?? 'UNKNOWN', taskState: res.server?.['OS-EXT-STS:task_state'] || undefined, fault: res.server?.fault?.message };
  }

  async stopServer(serverId: string, region: string): Promise<void> {
    // BatchStopServers; SOFT asks the guest to shut down cleanly (a consistent disk to capture).
    // A second stop of the same server changes nothing, so it may be retried.
    await this.api.request('ecs', region, {
      method: 'POST', path: '/v1/{project_id}/cloudservers/action', body: { 'os-stop': { type: 'SOFT', servers: [{ id: serverId }] } }, idempotent: true,
    });
  }

  async consoleOutput(serverId: string, region: string, length = CONSOLE_LINES): Promise<string> {
    const res = await this.api.request<{ output?: string }>('ecs', region, {
      method: 'GET', path: '/v1/{project_id}/cloudservers/{server_id}/console-output', params: { server_id: serverId }, query: { length },
    });
    return res.output ?? '';
  }
}
