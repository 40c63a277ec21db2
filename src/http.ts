export { parseIfMatch, toEtag } from './http/etag.js';
export type { HeaderValue } from './http/etag.js';
export { eventFromJson, eventToJson } from './http/event-json.js';
export type { EventJson } from './http/event-json.js';
export { DEFAULT_PROBLEM_TYPE_BASE, PROBLEM_CONTENT_TYPE, toHttpError, toProblemIssues } from './http/problem-details.js';
export type { HttpError, ProblemDetails, ProblemIssue, ToHttpErrorOptions } from './http/problem-details.js';
