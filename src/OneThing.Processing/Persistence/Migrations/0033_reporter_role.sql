-- Systems and apps that report incidents (sensors, cameras, grid workers' apps) sign in with this role only.
INSERT INTO roles (id, name, normalized_name, concurrency_stamp) VALUES ('reporter', 'reporter', 'REPORTER', 'reporter');
