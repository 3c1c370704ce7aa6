/** Teams channel conversations (threads live there); group and 1:1 chats have no threads. */
export const isChannelConversation = (id: string) => /@thread\.(tacv2|skype)$/.test(id.split(';')[0] ?? '');
