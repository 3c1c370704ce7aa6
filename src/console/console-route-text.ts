/**
 * What the console's routes say (sign-in, refusals, errors, saved views) in
 * English and Chinese; the pages keep their own texts beside their markup.
 */
import type { Texts } from './console-text';
import type { OidcRefusal } from './oidc-sign-in';

/** The routes' own pages and messages. */
export const ROUTE_TEXT: Texts<
  | 'signIn'
  | 'signInMessenger'
  | 'signInHow'
  | 'signInWith'
  | 'signInOr'
  | 'signedOut'
  | 'sessionEnded'
  | 'youSignedOut'
  | 'againOidc'
  | 'again'
  | 'refused'
  | 'csrf'
  | 'notFound'
  | 'noPage'
  | 'notAllowed'
  | 'method'
  | 'reportsAgents'
  | 'knowledgeAgents'
  | 'yourRequests'
  | 'noTicket'
  | 'signInTitle'
  | 'signInButton'
  | 'linkNote'
  | 'openLink'
  | 'linkRefused'
  | 'used'
  | 'expired'
  | 'unknown'
  | 'noFile'
  | 'viewDeleted'
  | 'noView'
  | 'viewName'
  | 'viewsFull'
  | 'viewTaken'
  | 'viewSaved'
> = {
  en: {
    signIn: 'Sign in',
    signInMessenger: 'Sign in through your messenger',
    signInHow: 'Type /ticket console (or /工单 控制台) to the chatdesk bot: it sends you a sign-in link in a direct message.',
    signInWith: 'Sign in with {provider}',
    signInOr: 'Sign in with {provider}, or type /ticket console (or /工单 控制台) to the chatdesk bot: it sends you a sign-in link in a direct message.',
    signedOut: 'Signed out',
    sessionEnded: 'Your session ended. {again}',
    youSignedOut: 'You are signed out. {again}',
    againOidc: 'Sign in again with {provider}, or type /ticket console to the bot for a new link.',
    again: 'Type /ticket console to the bot for a new link.',
    refused: 'Refused',
    csrf: 'This request did not come from a console page (missing or wrong CSRF token).',
    notFound: 'Not found',
    noPage: 'No such console page.',
    notAllowed: 'Not allowed',
    method: 'Method not allowed.',
    reportsAgents: 'Reports are for agents and managers',
    knowledgeAgents: 'Knowledge is for agents',
    yourRequests: 'Your requests are on the queue page.',
    noTicket: 'No ticket {key} that you can see.',
    signInTitle: 'Sign in to the chatdesk console',
    signInButton: 'Sign in',
    linkNote: 'This link works once and for 10 minutes after the bot sent it.',
    openLink: 'Open the link from your messenger.',
    linkRefused: 'Sign-in link refused',
    used: 'This sign-in link was already used. Links work once: type /ticket console to the bot for a new one.',
    expired: 'This sign-in link has expired (links last 10 minutes). Type /ticket console to the bot for a new one.',
    unknown: 'This sign-in link is not valid. Type /ticket console to the bot for a new one.',
    noFile: 'No such file.',
    viewDeleted: 'View deleted.',
    noView: 'No such view.',
    viewName: 'A view needs a name of 1-{max} characters.',
    viewsFull: 'You have {max} views already: delete one first.',
    viewTaken: 'You have a view named "{name}" already.',
    viewSaved: 'Saved the view "{name}".',
  },
  zh: {
    signIn: '登录',
    signInMessenger: '通过聊天工具登录',
    signInHow: '向 chatdesk 机器人发送 /工单 控制台（或 /ticket console）：它会私信你一个登录链接。',
    signInWith: '使用 {provider} 登录',
    signInOr: '使用 {provider} 登录，或向 chatdesk 机器人发送 /工单 控制台（或 /ticket console）：它会私信你一个登录链接。',
    signedOut: '已退出登录',
    sessionEnded: '你的会话已结束。{again}',
    youSignedOut: '你已退出登录。{again}',
    againOidc: '请使用 {provider} 重新登录，或向机器人发送 /工单 控制台 获取新链接。',
    again: '向机器人发送 /工单 控制台 获取新链接。',
    refused: '已拒绝',
    csrf: '此请求并非来自控制台页面（缺少或错误的 CSRF 令牌）。',
    notFound: '未找到',
    noPage: '没有这个控制台页面。',
    notAllowed: '不允许',
    method: '不允许的请求方法。',
    reportsAgents: '报表仅供客服和经理查看',
    knowledgeAgents: '知识库仅供客服查看',
    yourRequests: '你的请求在工单队列页面。',
    noTicket: '没有你可以查看的工单 {key}。',
    signInTitle: '登录 chatdesk 控制台',
    signInButton: '登录',
    linkNote: '此链接仅可使用一次，在机器人发送后 10 分钟内有效。',
    openLink: '请打开聊天工具中的链接。',
    linkRefused: '登录链接被拒绝',
    used: '此登录链接已被使用过。链接仅可使用一次：向机器人发送 /工单 控制台 获取新链接。',
    expired: '此登录链接已过期（10 分钟内有效）。向机器人发送 /工单 控制台 获取新链接。',
    unknown: '此登录链接无效。向机器人发送 /工单 控制台 获取新链接。',
    noFile: '没有这个文件。',
    viewDeleted: '视图已删除。',
    noView: '没有这个视图。',
    viewName: '视图名称需为 1-{max} 个字符。',
    viewsFull: '你已有 {max} 个视图：请先删除一个。',
    viewTaken: '你已有名为“{name}”的视图。',
    viewSaved: '已保存视图“{name}”。',
  },
};

/** Why a sign-in with the identity provider signed nobody in (see oidcRefusal in console-routes.ts). */
export const REFUSAL_TEXT: Texts<OidcRefusal | 'again' | 'failed' | 'refused' | 'notSignedIn' | 'unreachable'> = {
  en: {
    again: 'Start again below, or sign in with the link from your messenger: /ticket console.',
    failed: 'Sign-in failed',
    refused: 'Sign-in refused',
    notSignedIn: 'Not signed in',
    unreachable: '{provider} cannot be reached',
    unknown_state: 'This answer from {provider} is not one this console asked for (its state is missing or unknown), so nobody was signed in.',
    used: 'This sign-in answer was already used: each one works once.',
    expired: 'This sign-in took longer than 10 minutes.',
    other_browser: 'This sign-in was started in another browser (or this one did not keep its cookie).',
    provider_error: '{provider} did not sign you in ({error}).',
    code_refused: "{provider} would not exchange this sign-in's code ({error}): it expired, or was used already.",
    invalid_token: "The answer from {provider} did not pass its checks (the ID token's signature, issuer, audience, expiry or nonce), so nobody was signed in.",
    unavailable: 'Try again in a moment, or sign in with the link from your messenger: /ticket console.',
    no_email:
      '{provider} did not give your email address, which the console needs to know who you are. Ask your administrator to include it (the email scope), or sign in with the link from your messenger: /ticket console.',
    email_unverified:
      '{provider} does not confirm that {email} is verified, so the console cannot take it as yours. Verify it with {provider}, or sign in with the link from your messenger: /ticket console.',
    unknown_person:
      "{email} is not in this desk's directory of people. Ask a chatdesk admin to add you (the desk file's people), or sign in with the link from your messenger: /ticket console.",
  },
  zh: {
    again: '请在下方重新开始，或使用聊天工具中的链接登录：/工单 控制台。',
    failed: '登录失败',
    refused: '登录被拒绝',
    notSignedIn: '未登录',
    unreachable: '无法连接 {provider}',
    unknown_state: '来自 {provider} 的这个应答不是本控制台发起的（state 缺失或未知），因此没有登录任何人。',
    used: '这个登录应答已被使用过：每个仅可使用一次。',
    expired: '这次登录用时超过了 10 分钟。',
    other_browser: '这次登录是在另一个浏览器中发起的（或本浏览器没有保留其 cookie）。',
    provider_error: '{provider} 没有让你登录（{error}）。',
    code_refused: '{provider} 拒绝兑换此次登录的授权码（{error}）：已过期或已被使用。',
    invalid_token: '来自 {provider} 的应答未通过校验（ID 令牌的签名、签发方、受众、有效期或 nonce），因此没有登录任何人。',
    unavailable: '请稍后再试，或使用聊天工具中的链接登录：/工单 控制台。',
    no_email: '{provider} 没有提供你的邮箱地址，控制台需要它来确认你的身份。请管理员加入 email 范围，或使用聊天工具中的链接登录：/工单 控制台。',
    email_unverified: '{provider} 没有确认 {email} 已验证，因此控制台不能认定它属于你。请在 {provider} 验证它，或使用聊天工具中的链接登录：/工单 控制台。',
    unknown_person: '{email} 不在本服务台的人员目录中。请 chatdesk 管理员添加你（服务台配置文件的 people），或使用聊天工具中的链接登录：/工单 控制台。',
  },
};
