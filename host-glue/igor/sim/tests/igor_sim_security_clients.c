/* The security functions from Igor with real pyzmq clients (igor_sim_security tests them between
 * the XOP's own sockets): CURVE keys (zeromq_curve_keypair,
 * zeromq_curve_public), the allow list of remote functions (zeromq_handler_allow and _reset),
 * address rules (zeromq_auth_allow and _reset) and a CURVE server set up with
 * zeromq_role_set_option. */

#include "sim_test.h"

#include <stdlib.h>

#define ERR_INVALID_ARG 10005
#define ERR_INVALID_KEY 10040
#define ERR_INVALID_ADDRESS 10041
#define ROLE_SERVER 1
#define OPT_CURVE_SERVER 47
#define OPT_CURVE_SECRETKEY 49

static int function_to_call(void *p, void *result)
{
    (void)p;
    *(double *)result = 4711;
    return 0;
}

static int other_function(void *p, void *result)
{
    (void)p;
    *(double *)result = 42;
    return 0;
}

static char port_text[16];

static const char *start_server(void)
{
    snprintf(port_text, sizeof port_text, "%d", sim_bind_server());
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), 0);
    return port_text;
}

/* A new key pair: the public key as the result (caller frees), the secret in *secret. */
static char *keypair(char **secret)
{
    igor_result r = {0, NULL};
    Handle secret_h = NULL;

    EXPECT_RC(CALL(&r, "zeromq_curve_keypair", IGOR_STR_REF(&secret_h)), 0);
    *secret = igor_take_string(secret_h);
    return sim_string(&r);
}

static void test_keys(void)
{
    igor_result r = {0, NULL};
    char *secret, *public_key = keypair(&secret), *again;
    char *secret2, *public2 = keypair(&secret2);

    EXPECT(strlen(public_key) == 40 && strlen(secret) == 40);
    EXPECT(strcmp(public_key, public2) != 0 && strcmp(secret, secret2) != 0);
    EXPECT_RC(CALL(&r, "zeromq_curve_public", IGOR_STR(secret)), 0);
    again = sim_string(&r);
    EXPECT(strcmp(again, public_key) == 0);
    free(again);
    /* A key of the wrong length is an invalid argument, 40 characters that are not Z85 a bad key. */
    EXPECT_RC(CALL(&r, "zeromq_curve_public", IGOR_STR("not a key")), ERR_INVALID_ARG);
    EXPECT(r.string == NULL);
    /* 40 characters, but not Z85. */
    EXPECT_RC(CALL(&r, "zeromq_curve_public", IGOR_STR("\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\""
                                                       "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"")),
              ERR_INVALID_KEY);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(ROLE_SERVER),
                   IGOR_NUM(OPT_CURVE_SECRETKEY), IGOR_STR("short")),
              ERR_INVALID_ARG);
    free(public_key);
    free(secret);
    free(public2);
    free(secret2);
}

/* A restriction set from Igor with `set`: refused with `bad_rc` for the argument `bad`; with
 * `good` the client scenario `restricted` passes; after `reset` every call runs again. */
static void check_restriction(const char *port, const char *set, const char *bad, int bad_rc,
                              const char *good, const char *restricted, const char *reset)
{
    EXPECT_RC(CALL(NULL, set, IGOR_STR(bad)), bad_rc);
    EXPECT_RC(CALL(NULL, set, IGOR_STR(good)), 0);
    EXPECT(sim_run_client(restricted, port, NULL, NULL) == 0);
    EXPECT_RC(CALL0(NULL, reset), 0);
    EXPECT(sim_run_client("allow_all", port, NULL, NULL) == 0);
}

/* The allow list of remote functions. */
static void test_allow_list(const char *port)
{
    check_restriction(port, "zeromq_handler_allow", "", ERR_INVALID_ARG, "FunctionToCall",
                      "allow_list", "zeromq_handler_allow_reset");
}

/* Address rules: a client outside 10.0.0.0/8 is refused. */
static void test_address_rules(const char *port)
{
    check_restriction(port, "zeromq_auth_allow", "not an address", ERR_INVALID_ADDRESS,
                      "10.0.0.0/8", "refused", "zeromq_auth_reset");
}

static void test_curve_server(void)
{
    char *secret, *public_key = keypair(&secret);
    const char *port;

    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(ROLE_SERVER),
                   IGOR_NUM(OPT_CURVE_SERVER), IGOR_STR("1")),
              0);
    EXPECT_RC(CALL(NULL, "zeromq_role_set_option", IGOR_NUM(ROLE_SERVER),
                   IGOR_NUM(OPT_CURVE_SECRETKEY), IGOR_STR(secret)),
              0);
    port = start_server();
    setenv("IGOR_SIM_SERVER_KEY", public_key, 1);
    EXPECT(sim_run_client("curve", port, NULL, NULL) == 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    free(public_key);
    free(secret);
}

int main(void)
{
    static const int none[1] = {0};
    const char *port;

    sim_test_start("igor_sim_security_clients");
    igor_define_function("FunctionToCall", NT_FP64, none, 0, 0, function_to_call);
    igor_define_function("OtherFunction", NT_FP64, none, 0, 0, other_function);
    test_keys();
    port = start_server();
    test_allow_list(port);
    test_address_rules(port);
    test_curve_server();
    return sim_test_finish();
}
