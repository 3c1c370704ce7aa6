import { z } from 'zod';
import { parseUserKey, PLATFORMS } from '../domain/ticket/ticket';

/** A label shown to people: one string, or one per language. */
export const localizedText = z.union([z.string().trim().min(1), z.object({ en: z.string().trim().min(1), zh: z.string().trim().min(1).optional() })]);
export type LocalizedText = z.infer<typeof localizedText>;

const slug = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'expected a lowercase id (a-z, 0-9, _ or -), at most 40 characters');

const fieldOption = z.object({ value: slug, label: localizedText });

export const fieldDefinition = z
  .object({
    id: slug,
    label: localizedText,
    kind: z.enum(['text', 'textarea', 'select', 'number', 'date']),
    required: z.boolean().default(false),
    options: z.array(fieldOption).min(1).max(100).optional(),
    maxLength: z.number().int().positive().max(3000).optional(),
    /** A number field's least value, or `"today"` for a date field that takes no past date (today in the desk's time zone). */
    min: z.union([z.number(), z.literal('today')]).optional(),
    max: z.number().optional(),
    placeholder: localizedText.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'select' && !f.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs options' });
    if (f.kind !== 'select' && f.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only select fields take options' });
    if (f.kind === 'date' && typeof f.min === 'number')
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'a date field takes min "today" (no past dates)' });
    if (f.kind !== 'date' && f.min === 'today') ctx.addIssue({ code: 'custom', path: ['min'], message: 'min "today" is for date fields' });
    if (f.kind === 'date' && f.max !== undefined) ctx.addIssue({ code: 'custom', path: ['max'], message: 'a date field takes no max' });
  });
export type FieldDefinition = z.infer<typeof fieldDefinition>;

export const ticketTypeDefinition = z.object({
  id: slug,
  name: localizedText,
  description: localizedText.optional(),
  fields: z.array(fieldDefinition).max(20).default([]),
});
export type TicketTypeDefinition = z.infer<typeof ticketTypeDefinition>;

const teamAgent = z.object({
  platform: z.enum(PLATFORMS),
  id: z.string().trim().min(1),
  name: z.string().trim().min(1).optional(),
  /** Categories this agent takes; `*` = any. */
  skills: z.array(z.string().trim().min(1)).default([]),
  /** false while away: auto-assign skips them. */
  available: z.boolean().default(true),
});

/** A person, written `platform:id` (e.g. `slack:U0BOB`). */
const personKey = z
  .string()
  .trim()
  .refine((v) => parseUserKey(v) !== undefined, { message: 'expected platform:id (e.g. slack:U0123), on a messenger chatdesk speaks' });

/** Platforms whose groups chatdesk can look up: a Slack user group (`S…`), a Discord role of the bound server, a Feishu/Lark contact user group. */
export const GROUP_PLATFORMS = ['slack', 'discord', 'feishu'] as const;
/** A platform group whose members hold a role (looked up on the platform, cached a minute). */
const groupRef = z.object({
  platform: z.enum(GROUP_PLATFORMS, { message: 'groups can be looked up on slack (user groups), discord (roles) and feishu (user groups) only' }),
  id: z.string().trim().min(1),
});
export type GroupRef = z.infer<typeof groupRef>;

const chatId = z.string().trim().min(1).optional();
/** One person of the directory: their address and their ids on the messengers (`{ email, slack: 'U123' }`). */
const directoryPerson = z
  .object({ email: z.email().trim().toLowerCase(), slack: chatId, teams: chatId, discord: chatId, feishu: chatId, playground: chatId })
  .refine((p) => !!(p.slack || p.teams || p.discord || p.feishu || p.playground), {
    message: 'give at least one chat id (slack, teams, discord, feishu or playground)',
  });
export type DirectoryPerson = z.infer<typeof directoryPerson>;

export const teamDefinition = z.object({
  id: slug,
  name: z.string().trim().min(1),
  /** Categories whose tickets this team handles. */
  categories: z.array(z.string().trim().min(1)).default([]),
  /** Where the team's ticket cards are posted, per messenger: { slack: 'C0123', playground: 'agents' }. */
  agentChannels: z.partialRecord(z.enum(PLATFORMS), z.string().trim().min(1)).default({}),
  /** The team's agents and their skills (categories), for auto-assign. */
  agents: z.array(teamAgent).max(200).default([]),
  /** New tickets go to the agent with a matching skill and the lightest open load (round robin on ties). */
  autoAssign: z.boolean().default(false),
  /** Platform groups whose members are this team's agents (instead of listing each one). */
  agentGroups: z.array(groupRef).max(20).default([]),
  /** The team's managers (`platform:id`): reassign across teams, take over, acknowledge escalations. */
  managers: z.array(personKey).max(200).default([]),
  managerGroups: z.array(groupRef).max(20).default([]),
});
export type TeamDefinition = z.infer<typeof teamDefinition>;

export const deskConfigSchema = z
  .object({
    locale: z.enum(['en', 'zh']).default('en'),
    ticketPrefix: z
      .string()
      .regex(/^[A-Z]{1,6}$/, 'expected 1-6 capital letters')
      .default('T'),
    firstTicketNumber: z.number().int().positive().default(1001),
    /** Below this category confidence the ticket goes to the triage queue instead of a guessed category. */
    abstainBelow: z.number().min(0).max(1).optional(),
    /**
     * Without abstainBelow: once the team's own history is imported, the threshold is chosen on a
     * held-out fifth of it so that the tickets the model answers reach this precision (default 0.8).
     */
    abstainPrecision: z.number().min(0.5).max(0.99).optional(),
    /** A classification at or above this confidence (category and priority) counts as triage: the ticket starts `triaged`. */
    triagedConfidence: z.number().min(0).max(1).default(0.8),
    /** A resolved ticket closes itself after this many days; the requester's reply before then reopens it. */
    autoCloseAfterDays: z.number().min(0).max(365).default(7),
    /** When a ticket is resolved, ask its requester to rate it (1-5 buttons in their thread); false: never ask. */
    csat: z.boolean().default(true),
    /**
     * The reaction that turns a message into a ticket for its author, as each messenger names it:
     * Slack's emoji name, Discord's emoji (unicode, or a custom emoji's name), Feishu's `emoji_type`.
     */
    ticketEmoji: z
      .object({
        slack: z.string().min(1).max(100).default('ticket'),
        discord: z.string().min(1).max(100).default('🎫'),
        feishu: z.string().min(1).max(100).default('OnIt'),
      })
      .strict()
      .prefault({}),
    defaultTeam: slug,
    defaultType: slug,
    teams: z.array(teamDefinition).min(1),
    ticketTypes: z.array(ticketTypeDefinition).min(1),
    /**
     * Categories whose tickets stay between the requester and the agents: never
     * offered to someone else as a possible duplicate, and their resolutions become
     * knowledge only as drafts (not suggested to anyone) until an agent edits them.
     */
    privateCategories: z.array(z.string().trim().min(1)).default(['hr', 'security']),
    /** SLA targets, calendars, reminders and escalation chains; validated by src/config/sla-config.ts. */
    sla: z.record(z.string(), z.unknown()).optional(),
    /** Managers of every team (`platform:id`). */
    managers: z.array(personKey).max(200).default([]),
    /** Admins (`platform:id`): every action on every ticket. */
    admins: z.array(personKey).max(50).default([]),
    /**
     * The directory of people known by email address: a mail from `email` is
     * theirs on chat (the first of their ids whose messenger is on), so they are
     * answered there. Mail from anyone else is an email requester (`email:addr`).
     */
    people: z.array(directoryPerson).max(10_000).default([]),
  })
  .superRefine((c, ctx) => {
    const dup = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
    for (const id of dup(c.teams.map((t) => t.id))) ctx.addIssue({ code: 'custom', path: ['teams'], message: `duplicate team id "${id}"` });
    for (const id of dup(c.ticketTypes.map((t) => t.id))) ctx.addIssue({ code: 'custom', path: ['ticketTypes'], message: `duplicate ticket type id "${id}"` });
    c.ticketTypes.forEach((t, i) => {
      for (const id of dup(t.fields.map((f) => f.id)))
        ctx.addIssue({ code: 'custom', path: ['ticketTypes', i, 'fields'], message: `duplicate field id "${id}"` });
    });
    c.teams.forEach((team, i) => {
      for (const key of dup(team.agents.map((a) => `${a.platform}:${a.id}`)))
        ctx.addIssue({ code: 'custom', path: ['teams', i, 'agents'], message: `duplicate agent "${key}"` });
      if (team.autoAssign && team.agents.length === 0)
        ctx.addIssue({ code: 'custom', path: ['teams', i, 'autoAssign'], message: 'auto-assign needs teams[].agents' });
    });
    if (!c.teams.some((t) => t.id === c.defaultTeam)) ctx.addIssue({ code: 'custom', path: ['defaultTeam'], message: `no team with id "${c.defaultTeam}"` });
    if (!c.ticketTypes.some((t) => t.id === c.defaultType))
      ctx.addIssue({ code: 'custom', path: ['defaultType'], message: `no ticket type with id "${c.defaultType}"` });
  });
export type DeskConfig = z.infer<typeof deskConfigSchema>;
