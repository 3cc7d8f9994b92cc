CREATE TABLE `workflow_concurrency` (
	`workflow_id` text NOT NULL,
	`key` text NOT NULL,
	`run_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`workflow_id`, `key`, `run_id`)
);
--> statement-breakpoint
CREATE INDEX `workflow_concurrency_run` ON `workflow_concurrency` (`run_id`);--> statement-breakpoint
CREATE TABLE `workflow_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`input` text,
	`output` text,
	`error` text,
	`trigger` text NOT NULL,
	`trigger_key` text,
	`concurrency_key` text,
	`parent_run_id` text,
	`parent_step_id` text,
	`parent_iteration` integer,
	`rerun_of` text,
	`cost_nano_usd` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_runs_trigger_key` ON `workflow_runs` (`workflow_id`,`trigger_key`);--> statement-breakpoint
CREATE INDEX `workflow_runs_tenant_created` ON `workflow_runs` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `workflow_runs_tenant_status` ON `workflow_runs` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `workflow_runs_concurrency` ON `workflow_runs` (`workflow_id`,`concurrency_key`,`status`);--> statement-breakpoint
CREATE INDEX `workflow_runs_parent` ON `workflow_runs` (`parent_run_id`);--> statement-breakpoint
CREATE TABLE `workflow_step_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`run_id` text NOT NULL,
	`step_id` text NOT NULL,
	`iteration` integer NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`input` text,
	`output` text,
	`error` text,
	`state` text,
	`cost_nano_usd` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`wake_at` integer,
	`wait_kind` text,
	`wait_event` text,
	`wait_match` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_step_runs_key` ON `workflow_step_runs` (`run_id`,`step_id`,`iteration`);--> statement-breakpoint
CREATE INDEX `workflow_step_runs_event` ON `workflow_step_runs` (`tenant_id`,`wait_event`,`status`);--> statement-breakpoint
CREATE INDEX `workflow_step_runs_due` ON `workflow_step_runs` (`status`,`wake_at`);--> statement-breakpoint
CREATE INDEX `workflow_step_runs_approvals` ON `workflow_step_runs` (`tenant_id`,`wait_kind`,`status`);--> statement-breakpoint
CREATE TABLE `workflow_triggers` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`event_type` text,
	`schedule` text,
	`timezone` text,
	`last_fired_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflow_triggers_event` ON `workflow_triggers` (`tenant_id`,`event_type`);--> statement-breakpoint
CREATE INDEX `workflow_triggers_type` ON `workflow_triggers` (`type`);--> statement-breakpoint
CREATE INDEX `workflow_triggers_workflow` ON `workflow_triggers` (`workflow_id`);--> statement-breakpoint
CREATE TABLE `workflow_versions` (
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`tenant_id` text NOT NULL,
	`sha256` text NOT NULL,
	`definition` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`workflow_id`, `version`),
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`latest_version` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`template` text,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflows_tenant_key` ON `workflows` (`tenant_id`,`key`);--> statement-breakpoint
CREATE INDEX `workflows_tenant` ON `workflows` (`tenant_id`);