import { TerraformVariable, type TerraformStack } from 'cdktf';

export interface StackInput {
  /** The variable's value, as a Terraform expression. */
  readonly value: string;
  /** Goes in the lifecycle of the resource that needs the value. */
  readonly precondition: { readonly condition: string; readonly errorMessage: string };
}

/**
 * A value one stack takes from another's output (builder -> release -> tester), passed with
 * `--var`. A variable without a default makes Terraform prompt and wait for an answer that CI
 * or a script never gives, so it defaults to "" and the resource that needs it gets a
 * precondition that fails the plan at once, naming the `--var` to pass. A precondition rather
 * than a validation: `destroy` does not check it, so a stack is destroyed without the value.
 */
export function stackInput(stack: TerraformStack, name: string, { description, from }: { description: string; from: string }): StackInput {
  const variable = new TerraformVariable(stack, name, { type: 'string', default: '', nullable: false, description: `${description}: the ${from}` });
  return {
    value: variable.stringValue,
    precondition: {
      condition: `\${trimspace(var.${name}) != ""}`,
      errorMessage: `No ${name} given: pass --var="${name}=<id>", the ${from}.`,
    },
  };
}

/** The stack that feeds `stackId` its input: `nginx-release` from `nginx-tester`, by the factory's naming. */
export function siblingStack(stackId: string, own: string, other: string): string {
  return stackId.endsWith(`-${own}`) ? `${stackId.slice(0, -own.length)}${other}` : `<the ${other} stack>`;
}
