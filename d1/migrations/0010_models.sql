CREATE TABLE `eval_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`model_id` text NOT NULL,
	`version_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`status` text NOT NULL,
	`mean_score` real NOT NULL,
	`scores` text NOT NULL,
	`cost_nano_usd` integer DEFAULT 0 NOT NULL,
	`example_count` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `eval_runs_version` ON `eval_runs` (`tenant_id`,`version_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `model_alias_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`model_id` text NOT NULL,
	`alias` text NOT NULL,
	`version_id` text NOT NULL,
	`previous_version_id` text,
	`action` text NOT NULL,
	`forced` integer DEFAULT false NOT NULL,
	`actor` text,
	`seq` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_alias_history_seq` ON `model_alias_history` (`model_id`,`seq`);--> statement-breakpoint
CREATE TABLE `model_version_aliases` (
	`model_id` text NOT NULL,
	`alias` text NOT NULL,
	`tenant_id` text NOT NULL,
	`version_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`model_id`, `alias`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `model_version_aliases_tenant` ON `model_version_aliases` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `model_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`model_id` text NOT NULL,
	`version` integer NOT NULL,
	`base_model` text NOT NULL,
	`dataset_id` text,
	`dataset_sha256` text,
	`hyperparameters` text DEFAULT '{}' NOT NULL,
	`provider` text NOT NULL,
	`provider_job_id` text,
	`job_id` text,
	`metrics` text DEFAULT '{}' NOT NULL,
	`serving_base_url` text NOT NULL,
	`serving_model` text NOT NULL,
	`serving_key_enc` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_number` ON `model_versions` (`model_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_job` ON `model_versions` (`tenant_id`,`job_id`);--> statement-breakpoint
CREATE INDEX `model_versions_tenant` ON `model_versions` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`base_model` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`canary_percent` integer DEFAULT 0 NOT NULL,
	`eval_margin` real DEFAULT 0 NOT NULL,
	`error_rate_margin` real DEFAULT 0.05 NOT NULL,
	`quality_margin` real DEFAULT 10 NOT NULL,
	`eval_set` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_tenant_key` ON `models` (`tenant_id`,`key`);--> statement-breakpoint
CREATE TABLE `prompt_template_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`template_id` text NOT NULL,
	`key` text NOT NULL,
	`version` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`variables` text NOT NULL,
	`system` text,
	`template` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`template_id`) REFERENCES `prompt_templates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompt_template_versions_key` ON `prompt_template_versions` (`tenant_id`,`key`,`version`);--> statement-breakpoint
CREATE TABLE `prompt_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`latest_version` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompt_templates_key` ON `prompt_templates` (`tenant_id`,`key`);--> statement-breakpoint
ALTER TABLE `usage_events` ADD `template` text;