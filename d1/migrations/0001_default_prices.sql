-- Platform default prices (USD per million tokens), from the public list prices in
-- workers/gateway/catalog.ts. effective_from 0: they apply to every call until a newer row
-- (platform or tenant) supersedes them; rows are never edited, so history is kept.
INSERT INTO prices (id, tenant_id, provider, model, input_per_mtok, output_per_mtok, cached_input_per_mtok, effective_from, created_at) VALUES
  ('prc_default_openai_gpt_4o', '*', 'openai', 'gpt-4o', 2.5, 10, 1.25, 0, 0),
  ('prc_default_openai_gpt_4o_mini', '*', 'openai', 'gpt-4o-mini', 0.15, 0.6, 0.075, 0, 0),
  ('prc_default_openai_gpt_4_1', '*', 'openai', 'gpt-4.1', 2, 8, 0.5, 0, 0),
  ('prc_default_openai_gpt_4_1_mini', '*', 'openai', 'gpt-4.1-mini', 0.4, 1.6, 0.1, 0, 0),
  ('prc_default_openai_o4_mini', '*', 'openai', 'o4-mini', 1.1, 4.4, 0.275, 0, 0),
  ('prc_default_openai_text_embedding_3_small', '*', 'openai', 'text-embedding-3-small', 0.02, 0, NULL, 0, 0),
  ('prc_default_openai_text_embedding_3_large', '*', 'openai', 'text-embedding-3-large', 0.13, 0, NULL, 0, 0),
  ('prc_default_anthropic_claude_3_5_haiku_latest', '*', 'anthropic', 'claude-3-5-haiku-latest', 0.8, 4, 0.08, 0, 0),
  ('prc_default_anthropic_claude_3_5_sonnet_latest', '*', 'anthropic', 'claude-3-5-sonnet-latest', 3, 15, 0.3, 0, 0),
  ('prc_default_anthropic_claude_sonnet_4_5', '*', 'anthropic', 'claude-sonnet-4-5', 3, 15, 0.3, 0, 0),
  ('prc_default_anthropic_claude_opus_4_1', '*', 'anthropic', 'claude-opus-4-1', 15, 75, 1.5, 0, 0),
  ('prc_default_anthropic_claude_3_haiku_20240307', '*', 'anthropic', 'claude-3-haiku-20240307', 0.25, 1.25, 0.03, 0, 0);
