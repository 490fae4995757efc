function zeromq_set_logging_template(varargin)
%ZEROMQ_SET_LOGGING_TEMPLATE Set the JSON object every log line starts from.
%   zeromq_set_logging_template(jsonString)
%
%   jsonString is a JSON object as text, e.g. '{"experiment": "run 7"}'; its members
%   appear in every line of the message log (see zeromq_set('LOGGING')). Anything else
%   raises zeromq:INVALID_LOGGING_TEMPLATE.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('set_logging_template', varargin{:});
end
