/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* libFuzzer harness of the configuration parser. The input is read twice:
 * as an INI file (fp_config_load() of a memfd through /proc/self/fd), and as
 * lines "section key value" given to fp_config_set() one by one, as the
 * command line sets keys. Either returns 0 or a negative errno, and an error
 * is one message that starts with where the text came from. A file that
 * loads loads again over its own result to the same configuration; every
 * key's value, written back as fp_config_value() shows it, is taken and
 * shows the same. No EAL: rte_cfgfile needs none.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>

#include "fp_config.h"
#include "fuzz_common.h"

#define FZ_ORIGIN_SET "--set"
#define FZ_VALUE_MAX 1024

static int fz_fd = -1;
static char fz_path[64];
static struct fp_config fz_cfg, fz_again;

static void
fz_check_ret(int ret, const struct fp_err *err, const char *origin)
{
	FP_FUZZ_CHECK(ret == 0 || (ret < 0 && ret > -4096), "returned %d", ret);
	if (ret == 0)
		return;
	FP_FUZZ_CHECK(err->msg[0] != '\0', "error %d without a message", ret);
	if (origin != NULL)
		FP_FUZZ_CHECK(strncmp(err->msg, origin, strlen(origin)) == 0,
			"error message does not name %s: %s", origin, err->msg);
}

/* Key idx written back as shown is taken and shows the same. */
static void
fz_roundtrip_key(struct fp_config *cfg, const struct fp_config_key_info *k, unsigned int idx)
{
	char v[FZ_VALUE_MAX], v2[FZ_VALUE_MAX];
	struct fp_err err;
	int ret;

	FP_FUZZ_CHECK(fp_config_value(cfg, idx, v, sizeof(v)) == 0, "key %u", idx);
	err.msg[0] = '\0';
	ret = fp_config_set(cfg, "roundtrip", k->section, k->key, v, &err);
	FP_FUZZ_CHECK(ret == 0, "[%s] %s = '%s' refused: %s", k->section, k->key, v, err.msg);
	FP_FUZZ_CHECK(fp_config_value(cfg, idx, v2, sizeof(v2)) == 0, "key %u", idx);
	FP_FUZZ_CHECK(strcmp(v, v2) == 0, "[%s] %s: '%s' became '%s'", k->section, k->key, v,
		v2);
}

static void
fz_roundtrip(struct fp_config *cfg)
{
	const struct fp_config_key_info *keys;
	unsigned int n = fp_config_keys(&keys), i;

	for (i = 0; i < n; i++)
		fz_roundtrip_key(cfg, &keys[i], i);
}

/* What the program does after loading: whole-configuration checks. */
static void
fz_after_load(const struct fp_config *cfg)
{
	struct fp_err err;

	err.msg[0] = '\0';
	fz_check_ret(fp_config_validate(cfg, &err), &err, NULL);
	err.msg[0] = '\0';
	fz_check_ret(fp_config_check_files(cfg, &err), &err, NULL);
}

static void
fz_as_file(const uint8_t *data, size_t size)
{
	struct fp_err err;
	int ret;

	FP_FUZZ_CHECK(ftruncate(fz_fd, 0) == 0, "ftruncate");
	FP_FUZZ_CHECK(pwrite(fz_fd, data, size, 0) == (ssize_t)size, "pwrite");
	FP_FUZZ_CHECK(fp_config_defaults(&fz_cfg) == 0, "defaults");
	err.msg[0] = '\0';
	ret = fp_config_load(&fz_cfg, fz_path, &err);
	fz_check_ret(ret, &err, fz_path);
	if (ret != 0)
		return;
	/* A profile and then a file: the same file again changes nothing. */
	memcpy(&fz_again, &fz_cfg, sizeof(fz_again));
	err.msg[0] = '\0';
	ret = fp_config_load(&fz_again, fz_path, &err);
	FP_FUZZ_CHECK(ret == 0, "loaded once, not twice: %s", err.msg);
	FP_FUZZ_CHECK(memcmp(&fz_again, &fz_cfg, sizeof(fz_cfg)) == 0,
		"a second load changed the configuration");
	fz_after_load(&fz_cfg);
	fz_roundtrip(&fz_cfg);
}

/* The index of section.key in fp_config_keys(), or -1. */
static int
fz_key_idx(const char *section, const char *key)
{
	const struct fp_config_key_info *keys;
	unsigned int n = fp_config_keys(&keys), i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
			return i;
	return -1;
}

/* One line "section key value": the value is the rest, spaces and all. */
static void
fz_set_line(char *line)
{
	const struct fp_config_key_info *keys;
	char *key, *value;
	struct fp_err err;
	int ret, idx;

	key = strchr(line, ' ');
	if (key == NULL)
		return;
	*key++ = '\0';
	value = strchr(key, ' ');
	if (value == NULL)
		value = key + strlen(key);	/* an empty value */
	else
		*value++ = '\0';
	err.msg[0] = '\0';
	ret = fp_config_set(&fz_cfg, FZ_ORIGIN_SET, line, key, value, &err);
	fz_check_ret(ret, &err, FZ_ORIGIN_SET);
	/* Without a place for the message, the same answer. */
	FP_FUZZ_CHECK(fp_config_set(&fz_cfg, FZ_ORIGIN_SET, line, key, value, NULL) == ret,
		"a different answer without err");
	if (ret != 0)
		return;
	idx = fz_key_idx(line, key);
	FP_FUZZ_CHECK(idx >= 0, "[%s] %s taken, but not in the key table", line, key);
	fp_config_keys(&keys);
	fz_roundtrip_key(&fz_cfg, &keys[idx], idx);
}

static void
fz_as_lines(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *line, *end;

	FP_FUZZ_CHECK(text != NULL, "malloc");
	memcpy(text, data, size);
	text[size] = '\0';
	FP_FUZZ_CHECK(fp_config_defaults(&fz_cfg) == 0, "defaults");
	for (line = text; line != NULL; line = end) {
		end = strchr(line, '\n');
		if (end != NULL)
			*end++ = '\0';
		fz_set_line(line);
	}
	fz_after_load(&fz_cfg);
	free(text);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv __rte_unused)
{
	/* rte_cfgfile logs the syntax errors that reach it: thousands a second. */
	rte_log_set_global_level(RTE_LOG_EMERG);
	fz_fd = memfd_create("fp_fuzz_config", MFD_CLOEXEC);
	FP_FUZZ_CHECK(fz_fd >= 0, "memfd_create");
	snprintf(fz_path, sizeof(fz_path), "/proc/self/fd/%d", fz_fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	fz_as_file(data, size);
	fz_as_lines(data, size);
	return 0;
}
