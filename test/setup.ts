import nock from 'nock';

// No test ever reaches the real network. Loopback stays open for the in-process servers the
// end-to-end tests start (fake Slack Web API, fake OpenAI-compatible server, the app itself, PostgreSQL).
nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
