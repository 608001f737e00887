/** What the RFS rules look at: the files of a template, and the zip they travel in. */
export interface TemplateFile {
  /** Path inside the template (zip entry name or file name), with "/" separators. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface TemplateBundle {
  readonly files: readonly TemplateFile[];
  /** Present when the template is uploaded as a zip. */
  readonly zip?: { readonly name: string; readonly packedBytes: number; readonly unpackedBytes: number; readonly entries: number };
}

/** One broken rule: which rule, where (file and path inside it), and what to do. */
export interface Finding {
  readonly rule: string;
  readonly where: string;
  readonly message: string;
}

/**
 * One RFS rule (cdk-nag style): a pure function from a template to its findings. An empty
 * list means compliant or not applicable.
 */
export interface RfsRule {
  readonly id: string;
  /** The rule as RFS states it (https://support.huaweicloud.com/intl/en-us/tr-aos/rf_05_0028.html). */
  readonly description: string;
  check(bundle: TemplateBundle): Finding[];
}
