CREATE TABLE `widget_rate_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`widget_id` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `widget_rate_counters_window_idx` ON `widget_rate_counters` (`widget_id`,`window_start`);--> statement-breakpoint
CREATE TABLE `widget_threads` (
	`thread_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`widget_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `widget_threads_widget_idx` ON `widget_threads` (`widget_id`);--> statement-breakpoint
CREATE TABLE `widgets` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`assistant_id` text NOT NULL,
	`title` text NOT NULL,
	`greeting` text NOT NULL,
	`accent_color` text NOT NULL,
	`position` text NOT NULL,
	`allowed_origins` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `widgets_tenant_idx` ON `widgets` (`tenant_id`,`created_at`);