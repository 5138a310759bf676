import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { DISPUTE_TYPES, type DisputeType } from './lifecycle.js';

/** What goes into a mediation agreement (调解协议书). The parties' details are full: the document is theirs. */
export interface AgreementContent {
  number: string;
  orgName: string;
  disputeType: string;
  parties: Array<{ kind: 'person' | 'organisation'; role: 'applicant' | 'respondent' | 'third_party'; name: string; phone: string | null; idNumber: string | null }>;
  facts: string;
  terms: string;
  performanceMethod: string;
  performanceDeadline: string;
  mediatorName: string;
  /** the agreement's date, YYYY-MM-DD */
  date: string;
  partial: boolean;
  /** a people's mediation committee (人民调解协议书) rather than another body (调解协议书) */
  peoples: boolean;
}

const ROLE_ZH = { applicant: '申请人', respondent: '被申请人', third_party: '第三人' } as const;

/** 2026-11-21 → 2026年11月21日 */
export const chineseDate = (ymd: string) => {
  const [y, m, d] = ymd.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
};

/** The document as lines in the standard layout (人民调解协议书, 司法部 template): pure, tested without Word. */
export function agreementLines(c: AgreementContent): Array<{ text: string; style: 'title' | 'number' | 'heading' | 'body' | 'sign' | 'right' }> {
  const out: ReturnType<typeof agreementLines> = [
    { text: c.peoples ? '人民调解协议书' : '调解协议书', style: 'title' },
    { text: `编号：${c.number}`, style: 'number' },
    { text: '当事人基本情况', style: 'heading' },
  ];
  for (const p of c.parties) {
    const parts = [`${ROLE_ZH[p.role]}：${p.name}`];
    if (p.kind === 'person' && p.idNumber) parts.push(`身份证号码：${p.idNumber}`);
    if (p.phone) parts.push(`联系方式：${p.phone}`);
    out.push({ text: parts.join('，'), style: 'body' });
  }
  const kind = DISPUTE_TYPES[c.disputeType as DisputeType]?.zh ?? '纠纷';
  out.push(
    { text: `纠纷主要事实、争议事项（${kind}）`, style: 'heading' },
    { text: c.facts, style: 'body' },
    { text: `经${c.orgName}调解，当事人自愿${c.partial ? '就部分争议事项' : ''}达成如下协议：`, style: 'heading' },
    ...c.terms.split(/\r?\n/).filter((l) => l.trim()).map((l) => ({ text: l.trim(), style: 'body' as const })),
    { text: '履行方式、时限', style: 'heading' },
    { text: `${c.performanceMethod}，于${chineseDate(c.performanceDeadline)}前履行完毕。`, style: 'body' },
    { text: `本协议自各方当事人签名（盖章）、调解员签名并加盖${c.peoples ? '人民调解委员会' : '调解组织'}印章之日起生效。本协议一式三份，当事人各执一份，${c.peoples ? '人民调解委员会' : '调解组织'}留存一份。当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。`, style: 'body' },
  );
  for (const p of c.parties) out.push({ text: `${ROLE_ZH[p.role]}（签名或盖章）：________________`, style: 'sign' });
  out.push(
    { text: `调解员（签名）：${c.mediatorName}  ________________`, style: 'sign' },
    { text: '记录人（签名）：________________', style: 'sign' },
    { text: `${c.orgName}（印章）`, style: 'right' },
    { text: '（此处加盖调解组织印章）', style: 'right' },
    { text: chineseDate(c.date), style: 'right' },
  );
  return out;
}

const FONT = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };

/** The agreement as a Word document (.docx). */
export async function renderAgreement(c: AgreementContent): Promise<Buffer> {
  const children = agreementLines(c).map((l) => {
    const size = l.style === 'title' ? 44 : 28;
    const bold = l.style === 'title' || l.style === 'heading';
    const font = l.style === 'title' ? { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' } : FONT;
    return new Paragraph({
      alignment: l.style === 'title' ? AlignmentType.CENTER : l.style === 'right' || l.style === 'number' ? AlignmentType.RIGHT : AlignmentType.LEFT,
      spacing: { before: l.style === 'heading' || l.style === 'sign' ? 240 : 80, after: l.style === 'title' ? 240 : 80, line: 400 },
      indent: l.style === 'body' ? { firstLine: 560 } : undefined,
      children: [new TextRun({ text: l.text, bold, size, font })],
    });
  });
  const doc = new Document({
    creator: 'Zhili 治理',
    title: c.peoples ? '人民调解协议书' : '调解协议书',
    sections: [{ properties: { page: { margin: { top: 1440, bottom: 1440, left: 1700, right: 1600 } } }, children }],
  });
  return Packer.toBuffer(doc);
}
