/**
 * The desk a fresh install starts with: one IT team, four ticket types.
 * Teams replace it with their own JSON file (CHATDESK_CONFIG) — types, fields
 * and teams are configuration, not code.
 */
export const defaultDeskConfig = {
  locale: 'en',
  ticketPrefix: 'T',
  firstTicketNumber: 1001,
  defaultTeam: 'it',
  defaultType: 'incident',
  teams: [
    {
      id: 'it',
      name: 'IT',
      categories: ['access', 'hardware', 'software', 'network', 'email', 'security', 'facilities', 'hr'],
      agentChannels: { playground: 'agents' },
    },
  ],
  ticketTypes: [
    {
      id: 'incident',
      name: { en: 'Something is broken', zh: '故障报修' },
      fields: [
        { id: 'affected_service', label: { en: 'Affected service', zh: '受影响的服务' }, kind: 'text', maxLength: 100 },
        {
          id: 'impact',
          label: { en: 'Who is affected', zh: '影响范围' },
          kind: 'select',
          options: [
            { value: 'me', label: { en: 'Only me', zh: '只有我' } },
            { value: 'team', label: { en: 'My team', zh: '我的团队' } },
            { value: 'everyone', label: { en: 'Everyone', zh: '所有人' } },
          ],
        },
      ],
    },
    {
      id: 'request',
      name: { en: 'I need something', zh: '服务请求' },
      fields: [{ id: 'needed_by', label: { en: 'Needed by', zh: '需要日期' }, kind: 'date', min: 'today' }],
    },
    {
      id: 'access',
      name: { en: 'Access to a system', zh: '权限申请' },
      fields: [
        { id: 'system', label: { en: 'System', zh: '系统' }, kind: 'text', required: true, maxLength: 100 },
        { id: 'justification', label: { en: 'Why you need it', zh: '申请理由' }, kind: 'textarea', maxLength: 1000 },
      ],
    },
    { id: 'question', name: { en: 'Just a question', zh: '咨询' }, fields: [] },
  ],
} as const;
