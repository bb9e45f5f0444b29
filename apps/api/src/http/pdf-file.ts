import { StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** The whole document (a few pages): a failure while rendering becomes an error answer, not a cut file. */
export async function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of doc) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A generated PDF as a download the browser does not keep (personal data). */
export async function pdfFile(
  doc: PDFKit.PDFDocument,
  fileName: string,
  reply: FastifyReply,
): Promise<StreamableFile> {
  const bytes = await pdfBytes(doc);
  void reply.headers({ 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, '-');
  return new StreamableFile(bytes, {
    type: 'application/pdf',
    disposition: `attachment; filename="${safe}"`,
    length: bytes.length,
  });
}
