import PDFDocument from 'pdfkit';

/** The standard PDF fonts speak WinAnsi: map what they cannot show to plain equivalents. */
export function pdfText(s: string | null | undefined): string {
  return (s ?? '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\u2016/g, '||')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\n\u0020-\u007e\u00a0-\u00ff\u20ac]/g, '?');
}

export function pounds(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}£${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
}

/** "Tue 3 Mar 2026, 14:05 (UK time)" for people; ISO UTC stays in the manifest. */
export function ukTime(iso: string | null): string {
  if (!iso) {
    return 'not recorded';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  return `${new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d)} (UK time)`;
}

export function ukDate(iso: string | null): string {
  if (!iso) {
    return 'not recorded';
  }
  if (Number.isNaN(new Date(iso).getTime())) {
    return iso;
  }
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(iso));
}

export const MARGIN = 50;

/**
 * An A4 document whose every page carries `footer(pageNumber)`. Pages stream out as they are
 * finished (no page buffering); the creation date is fixed so a rebuild gives the same bytes.
 */
export function newDocument(
  title: string,
  createdAt: string,
  footer: (page: number) => string,
): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    info: { Title: pdfText(title), Creator: 'Retail crime hub', CreationDate: new Date(createdAt) },
    compress: true,
  });
  let page = 1;
  const drawFooter = () => {
    const { x, y } = doc;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(pdfText(footer(page)), MARGIN, doc.page.height - MARGIN, {
        width: doc.page.width - 2 * MARGIN,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
    doc.fillColor('black');
    doc.x = x;
    doc.y = y;
  };
  drawFooter();
  doc.on('pageAdded', () => {
    page += 1;
    drawFooter();
  });
  return doc;
}

export function heading(doc: PDFKit.PDFDocument, text: string, size = 13): void {
  doc
    .moveDown(0.6)
    .font('Helvetica-Bold')
    .fontSize(size)
    .text(pdfText(text), MARGIN)
    .font('Helvetica')
    .fontSize(10);
}

export function para(doc: PDFKit.PDFDocument, text: string, opts: PDFKit.Mixins.TextOptions = {}): void {
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(pdfText(text), MARGIN, undefined, { width: contentWidth(doc), ...opts });
}

export function labelled(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(`${pdfText(label)}: `, MARGIN, undefined, { continued: true, width: contentWidth(doc) })
    .font('Helvetica')
    .text(pdfText(value));
}

export function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - 2 * MARGIN;
}

/** Starts a new page when fewer than `height` points remain. */
export function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
    doc.addPage();
  }
}
