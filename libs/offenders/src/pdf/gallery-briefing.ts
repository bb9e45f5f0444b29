import {
  contentWidth,
  ensureSpace,
  heading,
  MARGIN,
  newDocument,
  para,
  pdfText,
  ukDate,
} from '@app/evidence';
import { type SubjectDescription, SubjectKind, type SubjectVehicle } from '../entities/subject.entity';
import { describedAs, vehicleWords } from './words';

/** One listed subject as the sheet prints it (dates as ISO strings). */
export interface BriefingEntry {
  kind: SubjectKind;
  reference: string;
  name: string | null;
  aliases: string[];
  description: Partial<SubjectDescription> | null;
  vehicles: SubjectVehicle[];
  /** a child or vulnerable person, listed only after a recorded special review */
  juvenile: boolean;
  /** why the subject is listed (the listing's reason) */
  reason: string;
  listedAt: string | null;
  reviewedAt: string | null;
  renewedAt: string | null;
  expiresAt: string | null;
  /** metadata-free viewing copies (JPEG or PNG) to print */
  images: Buffer[];
  /** images on file that have no printable viewing copy */
  imagesNotPrinted: number;
}

export interface GalleryBriefing {
  partnershipName: string;
  galleryName: string;
  purpose: string | null;
  /** who downloaded it, in words: "Sam Jones, store manager, High Street Express" */
  printedFor: string;
  entries: BriefingEntry[];
}

const PHOTO_W = 110;
const PHOTO_H = 140;
const GAP = 14;

/** A faint diagonal marking across every page, photos included (brief 7.6: watermark printouts). */
function watermark(doc: PDFKit.PDFDocument, text: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const w = doc.page.width;
    const h = doc.page.height;
    const mark = pdfText(text);
    doc.font('Helvetica-Bold').fontSize(40);
    // one line along the diagonal, at most 85% of it
    const size = Math.min(40, (40 * 0.85 * Math.hypot(w, h)) / doc.widthOfString(mark));
    doc.fontSize(size);
    const width = doc.widthOfString(mark);
    doc.save();
    doc.rotate(-Math.atan2(h, w) * (180 / Math.PI), { origin: [w / 2, h / 2] });
    doc
      .fillColor('#777777')
      .fillOpacity(0.18)
      .text(mark, (w - width) / 2, h / 2 - size / 2, { lineBreak: false });
    doc.restore();
  }
  doc.fillOpacity(1).fillColor('black');
}

/** A line of text in the right-hand column (beside the photos). */
function col(doc: PDFKit.PDFDocument, x: number, label: string | null, value: string): void {
  const width = MARGIN + contentWidth(doc) - x;
  if (label) {
    doc
      .font('Helvetica-Bold')
      .fontSize(9.5)
      .text(`${pdfText(label)}: `, x, undefined, { continued: true, width })
      .font('Helvetica')
      .text(pdfText(value));
  } else {
    doc.font('Helvetica').fontSize(9.5).text(pdfText(value), x, undefined, { width });
  }
}

function entry(doc: PDFKit.PDFDocument, e: BriefingEntry): void {
  ensureSpace(doc, Math.max(1, e.images.length) * (PHOTO_H + 6) + 30);
  const page = doc.page;
  const top = doc.y + 6;
  doc
    .moveTo(MARGIN, top - 3)
    .lineTo(MARGIN + contentWidth(doc), top - 3)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  let photoBottom = top;
  e.images.forEach((img, i) => {
    const y = top + 4 + i * (PHOTO_H + 6);
    try {
      doc.image(img, MARGIN, y, { fit: [PHOTO_W, PHOTO_H], align: 'center' });
    } catch {
      doc.font('Helvetica').fontSize(8).text('Photo could not be printed.', MARGIN, y, { width: PHOTO_W });
    }
    photoBottom = y + PHOTO_H;
  });
  if (!e.images.length) {
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(
        e.imagesNotPrinted ? 'Photo on file, not printable: see the hub.' : 'No photo on file.',
        MARGIN,
        top + 6,
        { width: PHOTO_W },
      )
      .fillColor('black');
    photoBottom = top + 30;
  }
  const x = MARGIN + PHOTO_W + GAP;
  doc.x = x;
  doc.y = top + 4;
  const title =
    e.kind === SubjectKind.Known && e.name ? `${e.reference}: ${e.name}` : `${e.reference}: identity sought`;
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(pdfText(title), x, undefined, { width: MARGIN + contentWidth(doc) - x });
  if (e.kind === SubjectKind.IdSought) {
    col(doc, x, null, 'We do not know who this is. If you do, tell the partnership through the hub.');
  }
  if (e.aliases.length) {
    col(doc, x, 'Also known as', e.aliases.join(', '));
  }
  const described = describedAs(e.description);
  if (!described.length) {
    col(doc, x, 'Description', 'none recorded');
  }
  for (const [label, value] of described) {
    col(doc, x, label, value);
  }
  if (e.vehicles.length) {
    col(doc, x, 'Vehicles', e.vehicles.map(vehicleWords).join('; '));
  }
  col(doc, x, 'Why listed', e.reason);
  col(
    doc,
    x,
    'Listed',
    `${ukDate(e.listedAt)}, after review by a second person on ${ukDate(e.reviewedAt)}${
      e.renewedAt ? `; renewed on ${ukDate(e.renewedAt)}` : ''
    }`,
  );
  col(doc, x, 'Listing ends', `${ukDate(e.expiresAt)} unless renewed on new reports`);
  if (e.juvenile) {
    col(
      doc,
      x,
      null,
      'A child or vulnerable person: listed only after a special review. Take particular care.',
    );
  }
  if (e.images.length && e.imagesNotPrinted) {
    col(doc, x, null, `${e.imagesNotPrinted} more photo(s) on file in the hub.`);
  }
  doc.x = MARGIN;
  // text that ran onto a new page has left the photos behind
  doc.y = (doc.page === page ? Math.max(doc.y, photoBottom) : doc.y) + 10;
}

/**
 * A gallery's briefing sheet for member shops: each listed subject with reference, photos (viewing
 * copies only), description under human labels, why listed and when the listing ends, framed by the
 * fair-process and data-protection rules (brief 7.6, 7.8, 7.13). Every page is watermarked and
 * names who it was printed for. Returns the document ended.
 */
export function galleryBriefingPdf(
  b: GalleryBriefing,
  generatedAt: string,
  generator: string,
): PDFKit.PDFDocument {
  const doc = newDocument(
    `Gallery briefing: ${b.galleryName}`,
    generatedAt,
    generator,
    (page, pages) =>
      `CONFIDENTIAL - ${b.partnershipName} members' staff only - printed for ${b.printedFor} - page ${page} of ${pages}`,
  );

  const expiries = b.entries
    .map((e) => e.expiresAt)
    .filter((d): d is string => !!d)
    .sort();
  const destroyBy = expiries[0] ?? null;

  doc.font('Helvetica-Bold').fontSize(12).text(pdfText(b.partnershipName), MARGIN);
  doc
    .font('Helvetica-Bold')
    .fontSize(17)
    .text(pdfText(`Gallery briefing sheet: ${b.galleryName}`), MARGIN);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(
      pdfText(
        `For member shops' staff only. Printed ${ukDate(generatedAt)} for ${b.printedFor}. ${b.entries.length} ${
          b.entries.length === 1 ? 'person' : 'people'
        } listed.`,
      ),
    );
  if (b.purpose) {
    doc.text(pdfText(`Purpose: ${b.purpose}`));
  }

  heading(doc, 'Before you use this sheet', 11);
  for (const line of [
    'Do not confront, follow, photograph or detain anyone on this sheet. If you see them, keep yourself and others safe and report it through the hub (a report, or an alert if it is urgent). Call 999 if anyone is in danger.',
    'Being listed is not proof that someone did anything on a given day. Report only what you saw yourself.',
    'If you are a witness in a case about anyone on this sheet, do not look at it before you give your statement.',
    'Each listing was proposed with reasons, approved by a second person, and ends by itself on the date shown unless renewed on new reports. The hub always has the current list.',
  ]) {
    para(doc, `- ${line}`);
  }

  heading(doc, 'Data protection', 11);
  for (const line of [
    `${b.partnershipName} is the data controller. This sheet holds personal data about alleged offences: keep it out of sight of customers and the public.`,
    'Do not copy, photograph, scan or share it, and never put it on a wall, window, notice board, social media or a messaging group such as WhatsApp.',
    `Destroy it (shred it) as soon as a newer sheet replaces it${
      destroyBy ? `, and in any case by ${ukDate(destroyBy)}, when the first listing on it ends` : ''
    }.`,
    'Anyone who asks what is held about them should be referred to the partnership.',
  ]) {
    para(doc, `- ${line}`);
  }

  heading(doc, 'Listed people', 11);
  if (!b.entries.length) {
    para(doc, 'Nobody is listed in this gallery at the moment.');
  }
  for (const e of b.entries) {
    entry(doc, e);
  }
  watermark(doc, `CONFIDENTIAL - ${b.partnershipName} - STAFF ONLY`);
  doc.end();
  return doc;
}
