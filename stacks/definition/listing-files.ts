/**
 * Checks on the files a listing names, read from the image folder: the logo must be a PNG
 * (judged by its header, not its extension) of 120x120 pixels and at most 5 MB; the usage guide
 * must exist and hold more than whitespace (KooGallery "Product Release Description": https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000012.html).
 */
import { LOGO, type Listing } from './listing.js';
import { readPngHeader } from './png.js';
import { readImageFile, regularFileProblem } from './image-files.js';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** One line per problem, `listing.<field>: expected ..., found ...`; empty when all is well. */
export function listingFileProblems(listing: Listing | undefined, dir: string): string[] {
  if (!listing) return [];
  const problems: string[] = [];
  const logoProblem = regularFileProblem(dir, listing.logo);
  if (logoProblem) {
    problems.push(`listing.logo: expected a PNG file in the image folder, found ${logoProblem}`);
  } else {
    const bytes = readImageFile(dir, listing.logo);
    const size = bytes.length;
    if (size > LOGO.maxBytes) {
      problems.push(`listing.logo: expected a logo of at most ${mib(LOGO.maxBytes)}, found "${listing.logo}" of ${mib(size)}`);
    } else {
      const header = readPngHeader(bytes);
      if (!header.ok) problems.push(`listing.logo: expected a PNG image, found "${listing.logo}", which ${header.problem}`);
      else if (header.width !== LOGO.widthPx || header.height !== LOGO.heightPx) {
        problems.push(`listing.logo: expected a PNG of ${LOGO.widthPx}x${LOGO.heightPx} pixels (KooGallery logo rule), found "${listing.logo}" of ${header.width}x${header.height}`);
      }
    }
  }
  const guideProblem = regularFileProblem(dir, listing.usageGuide);
  if (guideProblem) {
    problems.push(`listing.usageGuide: expected a usage guide file in the image folder, found ${guideProblem}`);
  } else {
    const guide = readImageFile(dir, listing.usageGuide);
    // Spaces and line breaks alone are as empty to a buyer as no bytes at all.
    if (guide.length === 0) problems.push(`listing.usageGuide: expected a usage guide with content, found "${listing.usageGuide}" empty`);
    else if (guide.toString('utf8').trim() === '') problems.push(`listing.usageGuide: expected a usage guide with content, found "${listing.usageGuide}" of ${guide.length} bytes of only whitespace; write how buyers start and log in to the product`);
  }
  return problems;
}
