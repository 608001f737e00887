/**
 * The guest self-check report (scripts/guest/selfcheck.sh), sent as one `event=selfcheck`
 * console line. Check ids are stable: waivers in image definitions (`selfCheck.waivers`) name
 * them. See scripts/guest/README.md for what each check inspects.
 */
import { z } from 'zod';
import { parseConsole } from './protocol.js';

export const SELF_CHECK_IDS = [
  // KooGallery's asset scan (Product Security Review Standards: https://support.huaweicloud.com/intl/en-us/mpintro-marketplace/Specification-0007.html).
  'no-password-hash', 'no-authorized-keys', 'no-ssh-host-keys', 'no-private-keys', 'no-stored-credentials',
  'no-shell-history', 'password-policy', 'no-pending-security-updates', 'clamav-scan',
  // The audit of the result (issue 21): effective sshd settings, keys anywhere, accounts, sudo, cloud-init, PAM.
  'sshd-authorized-keys-files', 'no-authorized-keys-command', 'no-permit-empty-passwords', 'no-public-keys-anywhere',
  'no-extra-uid0', 'no-sudo-nopasswd', 'no-cloud-init-user-injection', 'no-pam-permit-auth',
  // Report only (status warn, never a failure): persistence the steps added, download-and-run, listeners.
  'persistence-added', 'no-download-exec', 'listening-services',
  // Huawei image-preparation guidance.
  'cloud-init-installed', 'cloud-init-enabled', 'cloud-init-cleaned', 'nic-dhcp', 'no-mac-in-network-config',
  'no-persistent-net-rules', 'fstab-by-uuid', 'fstab-no-data-disks', 'virtio-initramfs', 'machine-id-empty',
  'no-dhcp-leases', 'no-build-files',
] as const;

const selfCheckSchema = z.object({
  // A string, not the enum: a newer guest may report checks this version does not know.
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** warn: report only (persistence, listeners); it never fails the build. */
  status: z.enum(['pass', 'fail', 'waived', 'skip', 'warn']),
  detail: z.string(),
  /** The definition's waiver reason, present when status is "waived". */
  reason: z.string().optional(),
});

const selfCheckReportSchema = z.object({
  passed: z.boolean(),
  os: z.string().optional(),
  checks: z.array(selfCheckSchema),
}).superRefine((r, ctx) => {
  const failed = r.checks.some((c) => c.status === 'fail');
  if (r.passed === failed) ctx.addIssue({ code: 'custom', path: ['passed'], message: `expected passed=${!failed} given the check statuses, found ${r.passed}` });
});

export type SelfCheck = z.infer<typeof selfCheckSchema>;
export type SelfCheckReport = z.infer<typeof selfCheckReportSchema>;

/** Validates a report object (e.g. the `report` of a selfcheck event). Throws with the zod issues. */
export function parseSelfCheckReport(report: unknown): SelfCheckReport {
  const parsed = selfCheckReportSchema.safeParse(report);
  if (!parsed.success) {
    throw new Error(`invalid self-check report: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The self-check report in a console capture, or undefined when the guest sent none (yet). */
export function selfCheckFromConsole(text: string): SelfCheckReport | undefined {
  const { selfcheck } = parseConsole(text);
  return selfcheck === undefined ? undefined : parseSelfCheckReport(selfcheck);
}

/** Failed checks, for error messages: "no-password-hash: accounts with ...". */
export function failedChecks(report: SelfCheckReport): SelfCheck[] {
  return report.checks.filter((c) => c.status === 'fail');
}
