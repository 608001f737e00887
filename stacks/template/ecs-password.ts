/**
 * ECS administrator password rules, shared by the template's Terraform validation and by tests
 * that check the Terraform expressions against the same cases.
 *
 * Source: the ECS CreateServers `adminPass` rules, as quoted by the Ansible hwc_ecs_instance
 * `admin_pass` documentation ("8 to 26 characters ... at least three of the following character
 * types: uppercase letters, lowercase letters, digits, and special characters
 * (!@$%^-_=+[{}]:,./?). The password cannot contain the username or the username in reverse"),
 * and ECS ResetServerPassword ("不能包含用户名 Administrator 和 root 及逆序字符").
 * The user name is root on Linux and Administrator on Windows; both are refused so one template
 * serves either. Matching is case-insensitive, stricter than the API, so a buyer never gets
 * past validation only to be refused by ECS.
 *
 * Every pattern is valid in both RE2 (Terraform's regex()) and JavaScript.
 */
export const ECS_PASSWORD = {
  minLength: 8,
  maxLength: 26,
  specials: '!@$%^-_=+[{}]:,./?',
  /** Only letters, digits and the specials. */
  allowed: '^[A-Za-z0-9!@$%^\\-_=+\\[{}\\]:,./?]+$',
  /** At least `minClasses` of these must match. */
  classes: ['[A-Z]', '[a-z]', '[0-9]', '[!@$%^\\-_=+\\[{}\\]:,./?]'],
  minClasses: 3,
  /** The administrator user names, forward and reversed. */
  forbidden: '(?i)(root|toor|administrator|rotartsinimda)',
} as const;

/** Terraform validation blocks for a password variable: one rule, one message each. */
export function passwordValidations(ref: string): { condition: string; errorMessage: string }[] {
  const p = ECS_PASSWORD;
  const q = (re: string) => JSON.stringify(re);
  const classCount = p.classes.map((c) => `(can(regex(${q(c)}, ${ref})) ? 1 : 0)`).join(' + ');
  return [
    {
      condition: `\${length(${ref}) >= ${p.minLength} && length(${ref}) <= ${p.maxLength}}`,
      errorMessage: `The password must be ${p.minLength} to ${p.maxLength} characters long. / 密码长度须为${p.minLength}到${p.maxLength}位。`,
    },
    {
      condition: `\${can(regex(${q(p.allowed)}, ${ref}))}`,
      errorMessage: `The password may contain only letters, digits and ${p.specials} / 密码只能包含字母、数字和 ${p.specials}`,
    },
    {
      condition: `\${${classCount} >= ${p.minClasses}}`,
      errorMessage: `The password must contain at least ${p.minClasses} of: uppercase letters, lowercase letters, digits, special characters (${p.specials}). / 密码须至少包含大写字母、小写字母、数字、特殊字符（${p.specials}）中的${p.minClasses}种。`,
    },
    {
      condition: `\${!can(regex(${q(p.forbidden)}, ${ref}))}`,
      errorMessage: 'The password must not contain root, Administrator or either reversed. / 密码不能包含 root、Administrator 及其逆序。',
    },
  ];
}

/** JavaScript rendering of a Terraform RE2 pattern: only the leading (?i) flag differs. */
export function jsRegExp(re: string): RegExp {
  return re.startsWith('(?i)') ? new RegExp(re.slice(4), 'i') : new RegExp(re);
}

/** Why `password` breaks the ECS rules; empty when it is acceptable. */
export function ecsPasswordProblems(password: string): string[] {
  const p = ECS_PASSWORD;
  const problems: string[] = [];
  if (password.length < p.minLength || password.length > p.maxLength) problems.push(`must be ${p.minLength} to ${p.maxLength} characters long`);
  if (!jsRegExp(p.allowed).test(password)) problems.push(`may contain only letters, digits and ${p.specials}`);
  if (p.classes.filter((c) => jsRegExp(c).test(password)).length < p.minClasses) problems.push(`must mix at least ${p.minClasses} character types`);
  if (jsRegExp(p.forbidden).test(password)) problems.push('must not contain the administrator user name, forward or reversed');
  return problems;
}
