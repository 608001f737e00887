import { TerraformVariable, type TerraformOutput, type TerraformStack } from 'cdktf';

export interface StackInput {
  /** The variable's value, as a Terraform expression. */
  readonly value: string;
  /** Fails the plan when the value is empty (requireInput puts it on an output). */
  readonly precondition: { readonly condition: string; readonly errorMessage: string };
}

/**
 * A value one stack takes from another's output (builder -> release -> tester), passed with
 * `--var`. A variable without a default makes Terraform prompt and wait for an answer that CI
 * or a script never gives, so it defaults to "" and an output of the stack gets a precondition
 * that fails the plan at once, before anything is created, naming the `--var` to pass. On an
 * output rather than a validation: `destroy` does not check it, so a stack is destroyed without
 * the value.
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

/** Puts the input's check on `output`: Terraform evaluates it while planning, destroy skips it. */
export function requireInput(output: TerraformOutput, input: StackInput): void {
  output.addOverride('precondition', [{ condition: input.precondition.condition, error_message: input.precondition.errorMessage }]);
}
