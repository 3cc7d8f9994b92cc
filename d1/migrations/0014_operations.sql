CREATE TABLE `anomalies` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`status` text NOT NULL,
	`sensitivity` text NOT NULL,
	`score` real NOT NULL,
	`observed` real NOT NULL,
	`expected` real NOT NULL,
	`unit` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`detected_at` integer NOT NULL,
	`clear_since` integer,
	`resolved_at` integer,
	`notified_at` integer,
	`resolved_notified_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `anomalies_one_open` ON `anomalies` (`tenant_id`,`kind`,`subject`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `anomalies_tenant_time` ON `anomalies` (`tenant_id`,`detected_at`);--> statement-breakpoint
CREATE INDEX `anomalies_unannounced` ON `anomalies` (`detected_at`) WHERE notified_at is null or (status = 'resolved' and resolved_notified_at is null);--> statement-breakpoint
CREATE TABLE `anomaly_baselines` (
	`key` text PRIMARY KEY NOT NULL,
	`stats` text NOT NULL,
	`computed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `anomaly_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`sensitivity` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
