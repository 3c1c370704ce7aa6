/**
 * What a person wrote in a mail, without what they quoted or signed. A small
 * stripper (no well-kept CommonJS library fits: the maintained one ships ES
 * modules only with a native regex engine): it cuts at the first reply header
 * ("On … wrote:", Outlook's "From: … Sent:" block, "-----Original Message-----",
 * their French, German, Spanish and Chinese forms), at the signature delimiter
 * ("-- ", RFC 3676) and at "Sent from my …" lines, and drops `>` quoted lines.
 */
const REPLY_HEADER = [
  /^On\s.{1,300}\swrote:\s*$/i,
  /^Le\s.{1,300}\sa\s+écrit\s*:\s*$/i,
  /^Am\s.{1,300}\sschrieb\s.{0,200}:\s*$/i,
  /^El\s.{1,300}\sescribió\s*:\s*$/i,
  /^在.{1,300}写道[:：]\s*$/,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
];
const OUTLOOK_FROM = /^\*?(From|De|Von|发件人)\s*[:：]/i;
const OUTLOOK_NEXT = /^\*?(Sent|Date|To|Subject|Envoyé|Gesendet|Enviado|发送时间|收件人)\s*[:：]/i;
const SIGN_OFF = [/^--\s?$/, /^Sent from my\s/i, /^Get Outlook for\s/i, /^Envoyé de mon\s/i, /^Von meinem .* gesendet/i, /^发自我的/];

export function visibleText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    // Gmail folds a long "On … wrote:" over two lines.
    const joined = `${trimmed} ${(lines[i + 1] ?? '').trim()}`;
    if (REPLY_HEADER.some((r) => r.test(trimmed) || (/^(On|Le|Am|El)\s/.test(trimmed) && r.test(joined)))) break;
    if (OUTLOOK_FROM.test(trimmed) && lines.slice(i + 1, i + 4).some((l) => OUTLOOK_NEXT.test(l.trim()))) break;
    if (SIGN_OFF.some((r) => r.test(line))) break;
    if (trimmed.startsWith('>')) continue;
    kept.push(line.replace(/\s+$/, ''));
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface AttachmentInfo {
  name: string;
  bytes: number;
}

/** `report.pdf (1.2 MB)`. */
export function attachmentLine(a: AttachmentInfo): string {
  const size = a.bytes >= 1024 * 1024 ? `${(a.bytes / 1024 / 1024).toFixed(1)} MB` : a.bytes >= 1024 ? `${Math.round(a.bytes / 1024)} KB` : `${a.bytes} B`;
  return `${a.name} (${size})`;
}
