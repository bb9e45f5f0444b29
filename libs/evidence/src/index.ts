export * from './canonical-json';
export * from './chain';
export * from './fork';
export * from './generator';
export * from './layout';
export * from './plan';
// the PDF helpers every printable document shares (packs, exclusion letters, gallery briefings)
export {
  contentWidth,
  ensureSpace,
  heading,
  labelled,
  MARGIN,
  newDocument,
  para,
  pdfText,
  pounds,
  ukDate,
  ukTime,
} from './pdf/common';
export * from './signing';
export * from './sums';
export { VERIFY_MJS } from './verify-script';
