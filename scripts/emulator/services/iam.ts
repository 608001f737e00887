/**
 * IAM, and what the provider calls when it is configured.
 * - KeystoneListProjects `GET /v3/projects?name=&domain_id=`, KeystoneListAuthProjects
 *   `GET /v3/auth/projects`: one project per region, named after it
 *   (https://support.huaweicloud.com/intl/en-us/api-iam/iam_06_0001.html).
 * - KeystoneListAuthDomains `GET /v3/auth/domains`: the account
 *   (https://support.huaweicloud.com/intl/en-us/api-iam/iam_07_0001.html); the provider's
 *   getDomainID (huaweicloud/config/config.go) reads `domains[0].id`.
 * - ListAgencies `GET /v3.0/OS-AGENCY/agencies?domain_id=&name=`
 *   (https://support.huaweicloud.com/intl/en-us/api-iam/iam_12_0001.html); `domain_id` is required.
 * - BSS `GET /v2/products/service-types?limit=1`: the provider's website-type probe
 *   (config.go SetWebsiteType); any 2xx means "not the international-site error", which is all
 *   the provider reads.
 */
import { ApiError } from '../errors.js';
import type { Account } from '../account.js';
import type { ServiceFactory } from './index.js';

function projectList(account: Account, name?: string | null) {
  return Object.entries(account.data.projects)
    .filter(([region]) => !name || region === name)
    .map(([region, id]) => ({
      id, name: region, domain_id: account.data.domain.id, parent_id: account.data.domain.id, is_domain: false, enabled: true, description: '',
      links: { self: `https://iam.myhuaweicloud.com/v3/projects/${id}` },
    }));
}

export const iamService: ServiceFactory = () => ({
  routes: [
    {
      service: 'iam', method: 'GET', path: '/v3/projects',
      handler: (req, ctx) => {
        const domainId = req.query.get('domain_id');
        const all = domainId && domainId !== ctx.account.data.domain.id ? [] : projectList(ctx.account, req.query.get('name'));
        return { status: 200, body: { projects: all, links: { self: 'https://iam.myhuaweicloud.com/v3/projects', previous: null, next: null } } };
      },
    },
    {
      service: 'iam', method: 'GET', path: '/v3/auth/projects',
      handler: (_req, ctx) => ({ status: 200, body: { projects: projectList(ctx.account), links: { self: 'https://iam.myhuaweicloud.com/v3/auth/projects' } } }),
    },
    {
      service: 'iam', method: 'GET', path: '/v3/auth/domains',
      handler: (_req, ctx) => ({
        status: 200,
        body: { domains: [{ id: ctx.account.data.domain.id, name: ctx.account.data.domain.name, enabled: true, description: '', links: { self: `https://iam.myhuaweicloud.com/v3/domains/${ctx.account.data.domain.id}` } }], links: { self: 'https://iam.myhuaweicloud.com/v3/auth/domains' } },
      }),
    },
    {
      service: 'iam', method: 'GET', path: '/v3.0/OS-AGENCY/agencies',
      handler: (req, ctx) => {
        const domainId = req.query.get('domain_id');
        if (!domainId) throw new ApiError(400, '1100', 'domain_id is required', 'keystone');
        if (domainId !== ctx.account.data.domain.id) throw new ApiError(403, '1101', `domain ${domainId} is not the caller's account`, 'keystone');
        const name = req.query.get('name');
        const agencies = ctx.account.config.agencies.filter((a) => !name || a === name).map((a, i) => ({
          id: `${ctx.account.data.domain.id.slice(0, 24)}${String(i).padStart(8, '0')}`, name: a, domain_id: domainId,
          trust_domain_id: 'op_svc_ims', trust_domain_name: 'op_svc_ims', duration: 'FOREVER', expire_time: null,
          create_time: '2026-01-01T00:00:00.000000', description: 'IMS Administrator for cross-region image copies',
        }));
        return { status: 200, body: { agencies } };
      },
    },
    {
      service: 'bss', method: 'GET', path: '/v2/products/service-types',
      handler: () => ({ status: 200, body: { total_count: 1, service_types: [{ id: 'hws.service.type.ebs', name: 'Elastic Volume Service', service_type_code: 'hws.service.type.ebs', abbreviation: 'EVS' }] } }),
    },
  ],
});
