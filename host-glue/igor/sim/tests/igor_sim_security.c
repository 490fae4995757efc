/* Igor in a box: the security functions of the XOP. CURVE keys and certificate files, a CURVE
 * round trip between the XOP's client and server sockets set up with zeromq_role_set_option,
 * address rules, and the allow list of remote calls. */

#include "sim_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of a string handle (NULL: ""), malloc'd. */
static char *handle_text(Handle h)
{
    size_t n = h != NULL ? (size_t)WMGetHandleSize(h) : 0;
    char *s = malloc(n + 1);
    if (n > 0) {
        memcpy(s, *h, n);
    }
    s[n] = '\0';
    return s;
}

static void test_keys_and_certificates(void)
{
    igor_result r = {0, NULL};
    Handle secret_ref = NULL, read_ref = NULL;
    char *public_key, *secret, *again, *read_public, *read_secret;
    char path[600];

    EXPECT_RC(CALL(&r, "zeromq_curve_keypair", IGOR_STR_REF(&secret_ref)), 0);
    public_key = sim_string(&r);
    secret = handle_text(secret_ref);
    EXPECT(strlen(public_key) == 40 && strlen(secret) == 40);
    EXPECT_RC(CALL(&r, "zeromq_curve_public", IGOR_STR(secret)), 0);
    again = sim_string(&r);
    EXPECT(strcmp(again, public_key) == 0);

    EXPECT_RC(CALL(&r, "zeromq_curve_cert_create", IGOR_STR(IGOR_SIM_WORK_DIR), IGOR_STR("host")),
              0);
    free(again);
    again = sim_string(&r);
    snprintf(path, sizeof path, "%s/host.key_secret", IGOR_SIM_WORK_DIR);
    EXPECT_RC(CALL(&r, "zeromq_curve_cert_read", IGOR_STR(path), IGOR_STR_REF(&read_ref)), 0);
    read_public = sim_string(&r);
    read_secret = handle_text(read_ref);
    EXPECT(strcmp(read_public, again) == 0 && strlen(read_secret) == 40);
    EXPECT_RC(CALL(&r, "zeromq_auth_allow_keys_from", IGOR_STR(IGOR_SIM_WORK_DIR)), 0);
    EXPECT(r.number == 1);
    EXPECT_RC(CALL0(NULL, "zeromq_auth_reset"), 0);
    /* Bad input is an error, never a crash (the key error has its own code). */
    EXPECT(CALL(&r, "zeromq_curve_public", IGOR_STR("short")) == 10040);
    EXPECT(CALL(NULL, "zeromq_auth_allow", IGOR_STR("10.0.0.0/33")) == 10041);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(1), IGOR_NUM(47), IGOR_STR("x")),
              ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(9), IGOR_NUM(17), IGOR_STR("0")),
              ERR_INVALID_ARG);
    free(public_key);
    free(secret);
    free(again);
    free(read_public);
    free(read_secret);
    WMDisposeHandle(secret_ref);
    WMDisposeHandle(read_ref);
}

static void test_curve_round_trip(void)
{
    igor_result r = {0, NULL};
    Handle server_secret = NULL, client_secret = NULL, identity = NULL;
    char *server_public, *client_public, *server_s, *client_s, *text;
    char endpoint[64];

    EXPECT_RC(CALL(&r, "zeromq_curve_keypair", IGOR_STR_REF(&server_secret)), 0);
    server_public = sim_string(&r);
    EXPECT_RC(CALL(&r, "zeromq_curve_keypair", IGOR_STR_REF(&client_secret)), 0);
    client_public = sim_string(&r);
    server_s = handle_text(server_secret);
    client_s = handle_text(client_secret);
    /* ZMQ_CURVE_SERVER 47, _PUBLICKEY 48, _SECRETKEY 49, _SERVERKEY 50 */
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(1), IGOR_NUM(47), IGOR_STR("1")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(1), IGOR_NUM(49), IGOR_STR(server_s)),
              0);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(0), IGOR_NUM(50),
                   IGOR_STR(server_public)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(0), IGOR_NUM(48),
                   IGOR_STR(client_public)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(0), IGOR_NUM(49), IGOR_STR(client_s)),
              0);
    EXPECT_RC(CALL(NULL, "zeromq_auth_allow", IGOR_STR("127.0.0.0/8")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_auth_allow_key", IGOR_STR(client_public)), 0);
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", sim_bind_server());
    EXPECT_RC(CALL(NULL, "zeromq_client_connect", IGOR_STR(endpoint)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_client_send", IGOR_STR("over CURVE")), 0);
    sim_abort_after(10);
    EXPECT_RC(CALL(&r, "zeromq_server_recv", IGOR_STR_REF(&identity)), 0);
    sim_no_abort();
    text = sim_string(&r);
    EXPECT(strcmp(text, "over CURVE") == 0);
    free(text);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_auth_reset"), 0);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(1), IGOR_NUM(47), IGOR_STR("0")), 0);
    free(server_public);
    free(client_public);
    free(server_s);
    free(client_s);
    WMDisposeHandle(server_secret);
    WMDisposeHandle(client_secret);
    WMDisposeHandle(identity);
}

static void test_allowed_functions(void)
{
    igor_result r = {0, NULL};
    char *text;
    const char *request = "{\"version\": 1, \"CallFunction\": {\"name\": \"NoSuchFunction\"}}";

    EXPECT_RC(CALL(NULL, "zeromq_handler_allow", IGOR_STR("SomethingElse")), 0);
    EXPECT_RC(CALL(&r, "zeromq_test_callfunction", IGOR_STR(request)), 0);
    text = sim_string(&r);
    EXPECT(strstr(text, "\"value\": 101") != NULL);
    free(text);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_allow_reset"), 0);
    EXPECT_RC(CALL(NULL, "zeromq_handler_allow", IGOR_STR("")), ERR_INVALID_ARG);
}

int main(void)
{
    sim_test_start("igor_sim_security");
    test_keys_and_certificates();
    test_curve_round_trip();
    test_allowed_functions();
    return sim_test_finish();
}
