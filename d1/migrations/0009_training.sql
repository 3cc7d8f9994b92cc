CREATE TABLE `datasets` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`source` text NOT NULL,
	`r2_key` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`examples` integer NOT NULL,
	`tokens` integer NOT NULL,
	`scrubbed` integer DEFAULT false NOT NULL,
	`redactions` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `datasets_tenant_created` ON `datasets` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `training_callbacks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`job_id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`reported_status` text,
	`outcome` text NOT NULL,
	`reason` text,
	`status_after` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `training_callbacks_job` ON `training_callbacks` (`job_id`,`received_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `training_callbacks_webhook` ON `training_callbacks` (`job_id`,`webhook_id`,`outcome`);--> statement-breakpoint
CREATE TABLE `training_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`dataset_id` text NOT NULL,
	`dataset_sha256` text NOT NULL,
	`provider` text NOT NULL,
	`provider_job_id` text,
	`provider_status` text,
	`base_model` text NOT NULL,
	`hyperparameters` text NOT NULL,
	`model_key` text NOT NULL,
	`suffix` text,
	`status` text NOT NULL,
	`progress` real DEFAULT 0 NOT NULL,
	`trained_tokens` integer DEFAULT 0 NOT NULL,
	`cost_nano_usd` integer DEFAULT 0 NOT NULL,
	`eta_seconds` integer,
	`fine_tuned_model` text,
	`serving_base_url` text,
	`metrics` text,
	`error` text,
	`callback_secret_enc` text NOT NULL,
	`timeout_ms` integer NOT NULL,
	`last_progress_at` integer NOT NULL,
	`model_id` text,
	`model_version_id` text,
	`model_version` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `training_jobs_tenant_created` ON `training_jobs` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `training_jobs_dataset` ON `training_jobs` (`tenant_id`,`dataset_id`);