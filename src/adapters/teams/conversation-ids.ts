/** A conversation id without its `;messageid=…` suffix (a channel thread's id is the channel's plus that suffix). */
export const baseConversationId = (id: string) => id.split(';')[0] ?? id;

/** Teams channel conversations (threads live there); group and 1:1 chats have no threads. */
export const isChannelConversation = (id: string) => /@thread\.(tacv2|skype)$/.test(baseConversationId(id));
