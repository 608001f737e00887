/**
 * Ports that administer a machine or expose a database. A security-group rule that opens one of
 * them to the whole internet (0.0.0.0/0) is allowed (a merchant may really want it) but warned
 * about: in `plan`, in the listing sheet and in the buyer template's variable description.
 *
 * Sources: Huawei Cloud's own list of high-risk ports it recommends never opening to 0.0.0.0/0
 * ("Security Group Configuration Examples" / "Common Ports Used by ECSs",
 * https://support.huaweicloud.com/intl/en-us/usermanual-ecs/en-us_topic_0140323152.html) and
 * the IANA registrations of each service.
 */
const SENSITIVE_PORTS: Readonly<Record<number, { readonly service: string; readonly kind: 'admin' | 'database' }>> = {
  22: { service: 'SSH', kind: 'admin' },
  23: { service: 'Telnet', kind: 'admin' },
  135: { service: 'Windows RPC', kind: 'admin' },
  139: { service: 'NetBIOS/SMB', kind: 'admin' },
  445: { service: 'SMB', kind: 'admin' },
  2375: { service: 'Docker API', kind: 'admin' },
  3389: { service: 'RDP', kind: 'admin' },
  5900: { service: 'VNC', kind: 'admin' },
  5985: { service: 'WinRM', kind: 'admin' },
  5986: { service: 'WinRM (HTTPS)', kind: 'admin' },
  6443: { service: 'Kubernetes API', kind: 'admin' },
  10250: { service: 'kubelet API', kind: 'admin' },
  1433: { service: 'SQL Server', kind: 'database' },
  1521: { service: 'Oracle', kind: 'database' },
  3306: { service: 'MySQL', kind: 'database' },
  5432: { service: 'PostgreSQL', kind: 'database' },
  5984: { service: 'CouchDB', kind: 'database' },
  6379: { service: 'Redis', kind: 'database' },
  7000: { service: 'Cassandra', kind: 'database' },
  9042: { service: 'Cassandra CQL', kind: 'database' },
  9200: { service: 'Elasticsearch', kind: 'database' },
  9300: { service: 'Elasticsearch transport', kind: 'database' },
  11211: { service: 'Memcached', kind: 'database' },
  27017: { service: 'MongoDB', kind: 'database' },
};

/** The whole internet, as a security-group source. */
export const ANYWHERE = '0.0.0.0/0';

/**
 * The sensitive ports a rule covers ("22", "3300-3400" ...), with their service; [] for icmp or
 * none. Used to warn only when the rule's source is ANYWHERE.
 */
export function sensitivePortsOf(rule: { readonly protocol: string; readonly ports?: string }): { port: number; service: string; kind: 'admin' | 'database' }[] {
  if (rule.protocol === 'icmp' || !rule.ports) return [];
  const [lo, hi = lo] = rule.ports.split('-').map(Number);
  return Object.entries(SENSITIVE_PORTS)
    .map(([p, v]) => ({ port: Number(p), ...v }))
    .filter(({ port }) => port >= lo && port <= hi);
}
