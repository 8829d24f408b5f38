#!/usr/bin/env python3
"""A forecast from Python through ctypes, with only the standard library.

Loads the shared libtsrec (libtsrec.so.0), builds a Forecast dataset group,
imports a CSV, trains an NPTS predictor, creates a forecast and prints the
P10/P50/P90 of one item from the QueryForecast JSON.

Usage:
    forecast_ctypes.py [LIBRARY] [--csv FILE] [--item ID]

LIBRARY is the path of libtsrec.so.0; without it the library is looked up
with ctypes.util.find_library("tsrec") (the loader's path, LD_LIBRARY_PATH).
FILE is hourly data without a header, columns timestamp,target_value,item_id
(the layout of the AWS electricity sample); without it a small generated
file is used. ID defaults to the first item of the file.
"""
import argparse
import ctypes
import ctypes.util
import json
import math
import os
import sys
import tempfile

TSREC_OK = 0
TSREC_SERVICE_FORECAST = 1

SCHEMA = json.dumps({"Attributes": [
    {"AttributeName": "timestamp", "AttributeType": "timestamp"},
    {"AttributeName": "target_value", "AttributeType": "float"},
    {"AttributeName": "item_id", "AttributeType": "string"},
]}).encode()

PREDICTOR_REQUEST = json.dumps({
    "PredictorName": "python_predictor",
    "AlgorithmArn": "arn:aws:forecast:::algorithm/NPTS",
    "ForecastHorizon": 24,
    "ForecastTypes": ["0.1", "0.5", "0.9"],
    "FeaturizationConfig": {"ForecastFrequency": "H"},
}).encode()


class TsrecError(Exception):
    pass


def load_library(path):
    """Open libtsrec and declare the signatures used here (handles are
    opaque pointers: c_void_p)."""
    if path is None:
        path = ctypes.util.find_library("tsrec") or "libtsrec.so.0"
    lib = ctypes.CDLL(path)
    P = ctypes.c_void_p
    PP = ctypes.POINTER(ctypes.c_void_p)
    sig = {
        "tsrec_version_string": (ctypes.c_char_p, []),
        "tsrec_status_str": (ctypes.c_char_p, [ctypes.c_int]),
        "tsrec_errmsg": (ctypes.c_char_p, [P]),
        "tsrec_last_error": (ctypes.c_char_p, []),
        "tsrec_ctx_new": (ctypes.c_int, [P, PP]),
        "tsrec_ctx_free": (None, [P]),
        "tsrec_schema_parse": (ctypes.c_int, [P, ctypes.c_int32, ctypes.c_char_p,
                                              ctypes.c_size_t, PP]),
        "tsrec_schema_free": (None, [P]),
        "tsrec_dataset_group_new": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_int32,
                                                   ctypes.c_char_p, PP]),
        "tsrec_dataset_group_free": (None, [P]),
        "tsrec_dataset_group_create_dataset": (ctypes.c_int, [P, ctypes.c_char_p,
                                                              ctypes.c_char_p, P,
                                                              ctypes.c_char_p, PP]),
        "tsrec_dataset_import_csv": (ctypes.c_int, [P, ctypes.c_char_p, P, PP]),
        "tsrec_dataset_row_count": (ctypes.c_int, [P, ctypes.POINTER(ctypes.c_int64)]),
        "tsrec_predictor_create": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_size_t, PP]),
        "tsrec_predictor_free": (None, [P]),
        "tsrec_predictor_metric": (ctypes.c_int, [P, ctypes.c_int32, ctypes.c_char_p,
                                                  ctypes.c_double,
                                                  ctypes.POINTER(ctypes.c_double)]),
        "tsrec_forecast_create": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_size_t, PP]),
        "tsrec_forecast_free": (None, [P]),
        "tsrec_forecast_query_json": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_size_t,
                                                     ctypes.c_char_p, ctypes.c_size_t,
                                                     ctypes.POINTER(ctypes.c_size_t)]),
    }
    for name, (restype, argtypes) in sig.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def check(lib, status, handle, what):
    """Raise with the message recorded on the handle the call was made on."""
    if status == TSREC_OK:
        return
    msg = lib.tsrec_errmsg(handle) if handle else b""
    if not msg:
        msg = lib.tsrec_last_error()
    raise TsrecError("%s: %s: %s" % (what, lib.tsrec_status_str(status).decode(),
                                     msg.decode(errors="replace")))


def write_sample_csv(path):
    """Two weeks of hourly demand for three items with a daily cycle."""
    with open(path, "w") as f:
        for item in range(3):
            for h in range(14 * 24):
                v = 10.0 + 5.0 * item + 4.0 * math.sin(2.0 * math.pi * (h % 24) / 24.0)
                v += ((h * 7919 + item * 104729) % 1000) / 1000.0
                f.write("2024-03-%02d %02d:00:00,%.3f,item_%d\n"
                        % (1 + h // 24, h % 24, v, item))


def first_item(path):
    with open(path) as f:
        return f.readline().rstrip("\r\n").rsplit(",", 1)[1]


def forecast(lib, csv_path, item):
    ctx = ctypes.c_void_p()
    schema = ctypes.c_void_p()
    group = ctypes.c_void_p()
    predictor = ctypes.c_void_p()
    fc = ctypes.c_void_p()
    try:
        check(lib, lib.tsrec_ctx_new(None, ctypes.byref(ctx)), None, "tsrec_ctx_new")
        check(lib, lib.tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, SCHEMA, len(SCHEMA),
                                          ctypes.byref(schema)), ctx, "tsrec_schema_parse")
        check(lib, lib.tsrec_dataset_group_new(ctx, b"python_group", TSREC_SERVICE_FORECAST,
                                               b"CUSTOM", ctypes.byref(group)),
              ctx, "tsrec_dataset_group_new")
        dataset = ctypes.c_void_p()  # owned by the group
        check(lib, lib.tsrec_dataset_group_create_dataset(group, b"python_demand",
                                                          b"TARGET_TIME_SERIES", schema, b"H",
                                                          ctypes.byref(dataset)),
              group, "tsrec_dataset_group_create_dataset")
        check(lib, lib.tsrec_dataset_import_csv(dataset, os.fsencode(csv_path), None, None),
              dataset, "tsrec_dataset_import_csv")
        rows = ctypes.c_int64()
        check(lib, lib.tsrec_dataset_row_count(dataset, ctypes.byref(rows)), dataset,
              "tsrec_dataset_row_count")
        print("imported %d rows from %s" % (rows.value, csv_path))

        check(lib, lib.tsrec_predictor_create(group, PREDICTOR_REQUEST, len(PREDICTOR_REQUEST),
                                              ctypes.byref(predictor)),
              group, "tsrec_predictor_create")
        wql = ctypes.c_double()
        check(lib, lib.tsrec_predictor_metric(predictor, -1, b"AverageWeightedQuantileLoss",
                                              0.0, ctypes.byref(wql)),
              predictor, "tsrec_predictor_metric")
        print("NPTS backtest average wQL: %.4f" % wql.value)

        check(lib, lib.tsrec_forecast_create(predictor, None, 0, ctypes.byref(fc)), predictor,
              "tsrec_forecast_create")
        filters = json.dumps({"item_id": item}).encode()
        size = ctypes.c_size_t()
        check(lib, lib.tsrec_forecast_query_json(fc, filters, len(filters), None, 0,
                                                 ctypes.byref(size)),
              fc, "tsrec_forecast_query_json")
        buf = ctypes.create_string_buffer(size.value + 1)
        check(lib, lib.tsrec_forecast_query_json(fc, filters, len(filters), buf, len(buf),
                                                 ctypes.byref(size)),
              fc, "tsrec_forecast_query_json")
        preds = json.loads(buf.value.decode())["Forecast"]["Predictions"]
        print("%s:" % item)
        print("  %-22s %10s %10s %10s" % ("Timestamp", "p10", "p50", "p90"))
        for p10, p50, p90 in zip(preds["p10"], preds["p50"], preds["p90"]):
            print("  %-22s %10.3f %10.3f %10.3f"
                  % (p50["Timestamp"], p10["Value"], p50["Value"], p90["Value"]))
        if not preds["p50"]:
            raise TsrecError("QueryForecast returned no predictions")
    finally:
        # Children before parents, the ctx last; NULL is a no-op for each.
        lib.tsrec_forecast_free(fc)
        lib.tsrec_predictor_free(predictor)
        lib.tsrec_dataset_group_free(group)
        lib.tsrec_schema_free(schema)
        lib.tsrec_ctx_free(ctx)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("library", nargs="?", help="path of libtsrec.so.0")
    ap.add_argument("--csv", help="hourly CSV: timestamp,target_value,item_id")
    ap.add_argument("--item", help="item to print (default: the file's first)")
    args = ap.parse_args()
    lib = load_library(args.library)
    print("libtsrec %s" % lib.tsrec_version_string().decode())
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = args.csv
        if csv_path is None:
            csv_path = os.path.join(tmp, "demand.csv")
            write_sample_csv(csv_path)
        try:
            forecast(lib, csv_path, args.item or first_item(csv_path))
        except TsrecError as e:
            print("forecast_ctypes: %s" % e, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
