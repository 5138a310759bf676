import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
//
// A stored attachment is named by the type sniffed from its bytes (an HTML page inside a GIF is `evil.gif`, served
// as image/gif and always as an attachment); the name it was uploaded under is kept only as a label. Existing rows:
// the old name becomes the label and the extension follows the stored type.
const up_statements = [
  `ALTER TABLE case_attachment ADD COLUMN label text`,
  `UPDATE case_attachment SET
     label = file_name,
     file_name = coalesce(nullif(regexp_replace(file_name, '\\.[^.]*$', ''), ''), 'attachment') || '.' || CASE mime_type
       WHEN 'image/jpeg' THEN 'jpg' WHEN 'image/png' THEN 'png' WHEN 'image/webp' THEN 'webp' WHEN 'image/gif' THEN 'gif'
       WHEN 'image/heic' THEN 'heic' WHEN 'application/pdf' THEN 'pdf'
       WHEN 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' THEN 'docx'
       WHEN 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' THEN 'xlsx'
       WHEN 'audio/mpeg' THEN 'mp3' WHEN 'audio/x-m4a' THEN 'm4a' WHEN 'video/mp4' THEN 'mp4' ELSE 'bin' END`,
  `ALTER TABLE case_attachment ALTER COLUMN label SET NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('UPDATE case_attachment SET file_name = label').execute(db);
  await sql.raw('ALTER TABLE case_attachment DROP COLUMN IF EXISTS label').execute(db);
}
