CREATE TABLE `budgets` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`scope_id` text,
	`limit_nano_usd` integer NOT NULL,
	`window` text NOT NULL,
	`action` text NOT NULL,
	`degrade_to` text,
	`degrade_at_percent` integer DEFAULT 100 NOT NULL,
	`thresholds` text DEFAULT '[50,80,100]' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `budgets_tenant` ON `budgets` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`rpm` integer,
	`tpm` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rate_limits_scope` ON `rate_limits` (`tenant_id`,`scope`,`scope_id`);