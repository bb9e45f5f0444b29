/** The hub's release, named in every pack (a unit test keeps it equal to package.json's version). */
export const HUB_VERSION = '0.1.0';

/** What made a pack, as every PDF, the manifest and VERIFY.md name it. */
export function generatorName(build: string): string {
  return `Retail crime hub ${HUB_VERSION} (build ${build})`;
}
