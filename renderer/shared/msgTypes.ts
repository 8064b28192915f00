/** Labels for WeCom archive message types (msgtype keys stay as they are in the export). */
import type { Lang } from './i18n.js';

const LABELS: Record<string, [zh: string, en: string]> = {
  text: ['文本', 'Text'],
  image: ['图片', 'Image'],
  revoke: ['撤回', 'Recall'],
  agree: ['同意存档', 'Consented to archiving'],
  disagree: ['拒绝存档', 'Refused archiving'],
  voice: ['语音', 'Voice'],
  video: ['视频', 'Video'],
  card: ['名片', 'Contact card'],
  location: ['位置', 'Location'],
  emotion: ['表情', 'Sticker'],
  file: ['文件', 'File'],
  link: ['链接', 'Link'],
  weapp: ['小程序', 'Mini program'],
  chatrecord: ['会话记录', 'Forwarded chat record'],
  todo: ['待办', 'To-do'],
  vote: ['投票', 'Vote'],
  collect: ['填表', 'Form'],
  redpacket: ['红包', 'Red packet'],
  external_redpacket: ['互通红包', 'External red packet'],
  meeting: ['会议邀请', 'Meeting invitation'],
  docmsg: ['在线文档', 'Online document'],
  markdown: ['Markdown', 'Markdown'],
  news: ['图文', 'News'],
  calendar: ['日程', 'Calendar'],
  mixed: ['混合消息', 'Mixed message'],
  meeting_voice_call: ['音频存档', 'Meeting voice recording'],
  voip_doc_share: ['音频共享文档', 'Call document share'],
  sphfeed: ['视频号', 'Channels post'],
  voiptext: ['音视频通话', 'Voice/video call'],
  qydiskfile: ['微盘文件', 'WeDrive file'],
  meeting_notification: ['会议控制', 'Meeting control'],
  switch: ['切换企业', 'Switched enterprise'],
};

export function isKnownType(msgtype: string): boolean {
  return Object.prototype.hasOwnProperty.call(LABELS, msgtype);
}

export function typeLabel(msgtype: string, lang: Lang): string {
  const l = isKnownType(msgtype) ? LABELS[msgtype] : undefined;
  if (l) return lang === 'zh' ? l[0] : l[1];
  return lang === 'zh' ? `未知类型 (${msgtype})` : `Unknown type (${msgtype})`;
}
